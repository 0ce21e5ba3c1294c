package dev.mta.server.pop3;

import dev.mta.server.support.ProcessRunner;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real POP3 clients against the server on loopback: Python's poplib (byte-exact, with STLS), curl (list and
 * retrieve, plain and with STLS required) and fetchmail (the whole maildrop over STLS, deleted after). A client
 * that is not installed skips its test locally and fails it under CI ({@link Peers}).
 */
@ExtendWith(LeakGuard.class)
class Pop3PeersTest {
    @TempDir
    Path dir;
    private Pop3Fixture pop3;

    /** Headers, a line starting with a dot, a blank line inside the body, non-ASCII, a CRLF line and no final LF. */
    private static final String MESSAGE = "From: Ann <ann@example.org>\nTo: alice@example.com\nSubject: caf\u00e9\n\n"
            + "first line\n.leading dot\n..two\n\nafter a blank line\r\nlast line without newline";

    @BeforeEach
    void start() throws Exception {
        pop3 = new Pop3Fixture(dir);
    }

    @AfterEach
    void stop() {
        pop3.close();
    }

    private static List<String> fileLines(String s) {
        return List.of(s.replace("\r\n", "\n").split("\n", -1));
    }

    @Test
    void pythonPoplibRetrievesByteExactOverStls() throws Exception {
        String python = Peers.require("python3");
        pop3.deliver("alice", MESSAGE);
        pop3.deliver("alice", "Subject: second\n\nbye\n");
        String script = String.join("\n",
                "import poplib, ssl, sys",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "p = poplib.POP3('127.0.0.1', " + pop3.address().getPort() + ", timeout=20)",
                "caps = p.capa()",
                "assert 'STLS' in caps and 'UIDL' in caps and 'TOP' in caps, caps",
                "p.stls(ctx)",
                "assert 'STLS' not in p.capa()",
                "p.user('alice'); p.pass_('" + Pop3Fixture.PASSWORD + "')",
                "count, size = p.stat()",
                "resp, lines, octets = p.retr(1)",
                "sys.stdout.buffer.write(b'COUNT %d\\n' % count)",
                "sys.stdout.buffer.write(b'OCTETS %d\\n' % octets)",
                "for l in lines: sys.stdout.buffer.write(b'L ' + l.hex().encode() + b'\\n')",
                "uid1 = p.uidl(1)",
                "p.dele(2)",
                "p.quit()",
                "");
        ProcessRunner.Result r = ProcessRunner.run(List.of(python, "-c", script), 60);
        assertEquals(0, r.exitCode(), r.output());
        List<String> out = r.output().lines().toList();
        assertTrue(out.contains("COUNT 2"), r.output());
        List<String> got = out.stream().filter(l -> l.startsWith("L ")).map(l -> new String(
                java.util.HexFormat.of().parseHex(l.substring(2)), StandardCharsets.UTF_8)).toList();
        assertEquals(fileLines(MESSAGE), got, "poplib's lines, unstuffed, are the file's lines");
        assertEquals(1, pop3.files("alice").size(), "DELE 2 and QUIT removed the second");
    }

    @Test
    void curlListsAndRetrieves() throws Exception {
        String curl = Peers.require("curl");
        pop3.deliver("alice", MESSAGE);
        String url = "pop3://127.0.0.1:" + pop3.address().getPort() + "/";
        ProcessRunner.Result list = ProcessRunner.run(List.of(curl, "-sS", "--max-time", "20", "-u",
                "alice:" + Pop3Fixture.PASSWORD, url), 60);
        assertEquals(0, list.exitCode(), list.output());
        long size = MESSAGE.replace("\r\n", "\n").replace("\n", "\r\n").length()
                + MESSAGE.getBytes(StandardCharsets.UTF_8).length - MESSAGE.length(); // the é is two octets
        assertEquals("1 " + size, list.output().strip());
        // With STLS required, and the message itself.
        ProcessRunner.Result retr = ProcessRunner.run(List.of(curl, "-sS", "--max-time", "20", "--ssl-reqd", "-k", "-u",
                "alice:" + Pop3Fixture.PASSWORD, url + "1"), 60);
        assertEquals(0, retr.exitCode(), retr.output());
        assertEquals(MESSAGE.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n", retr.output());
        assertEquals(1, pop3.files("alice").size(), "curl removes nothing");
        // DELE as the README shows it: curl's custom command, no body; its QUIT then removes the message.
        ProcessRunner.Result dele = ProcessRunner.run(List.of(curl, "-sS", "--max-time", "20", "-u",
                "alice:" + Pop3Fixture.PASSWORD, url + "1", "-X", "DELE", "-I"), 60);
        assertEquals(0, dele.exitCode(), dele.output());
        assertTrue(pop3.files("alice").isEmpty(), "DELE and QUIT removed it");
    }

    @Test
    void fetchmailPullsTheMaildropOverStls() throws Exception {
        String fetchmail = Peers.require("fetchmail");
        pop3.deliver("alice", MESSAGE);
        pop3.deliver("alice", "Subject: second\n\nbye\n");
        Path delivered = Files.createDirectories(dir.resolve("delivered"));
        Path rc = dir.resolve("fetchmailrc");
        Files.writeString(rc, String.join("\n",
                "set no syslog",
                "poll 127.0.0.1 service " + pop3.address().getPort() + " protocol POP3 auth password",
                "  user \"alice\" there with password \"" + Pop3Fixture.PASSWORD + "\" is \"root\" here",
                "  sslproto 'TLS1.2+' no sslcertck",
                "  mda \"/bin/sh -c 'cat > " + delivered + "/msg-$$'\"",
                ""));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        // Its state (.fetchids, the pid file) in the test's folder, not the user's home.
        Path home = Files.createDirectories(dir.resolve("fetchmailhome"));
        ProcessRunner.Result r = ProcessRunner.run(List.of("env", "FETCHMAILHOME=" + home, "HOME=" + home, fetchmail,
                "-f", rc.toString(), "--nodetach", "-v"), 90);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("STLS"), "fetchmail used STLS:\n" + r.output());
        List<Path> got;
        try (var s = Files.list(delivered)) {
            got = s.toList();
        }
        assertEquals(2, got.size(), r.output());
        boolean found = false;
        for (Path p : got) {
            String m = Files.readString(p, StandardCharsets.UTF_8);
            found |= m.contains("\n.leading dot\n..two\n") && m.contains("Subject: caf\u00e9");
        }
        assertTrue(found, "the first message arrived whole");
        assertTrue(pop3.files("alice").isEmpty(), "fetchmail deleted what it pulled");
    }
}
