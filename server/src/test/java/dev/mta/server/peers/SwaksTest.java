package dev.mta.server.peers;

import dev.mta.server.support.SpooledMessage;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** swaks, the SMTP test tool operators use, against the server: plain and pipelined. */
@ExtendWith(LeakGuard.class)
class SwaksTest {
    private static final Pattern QUEUED = Pattern.compile("<-+ +250 2\\.0\\.0 Ok: queued as ([0-9A-F]+)");

    @TempDir
    static Path spool;
    @TempDir
    static Path work;
    static TestMta mta;

    @BeforeAll
    static void start() throws Exception {
        mta = TestMta.start(spool);
    }

    @AfterAll
    static void stop() {
        mta.close();
    }

    private static String swaks(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("swaks"), "--server",
                "127.0.0.1:" + mta.address().getPort(), "--helo", "swaks.test", "--from", "sender@example.com"));
        cmd.addAll(List.of(args));
        ProcessRunner.Result r = ProcessRunner.run(cmd, 60);
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    private static String queueId(String output) {
        Matcher m = QUEUED.matcher(output);
        assertTrue(m.find(), () -> "no queue id in swaks output:\n" + output);
        return m.group(1);
    }

    @Test
    void sendsOneMessage() throws Exception {
        Path data = work.resolve("message.eml");
        byte[] message = "Subject: from swaks\r\n\r\nHello from swaks.\r\n.leading dot\r\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(data, message);
        String out = swaks("--to", "rcpt@example.com", "--data", "@" + data);
        SpooledMessage m = mta.queued(queueId(out));
        assertEquals(List.of("rcpt@example.com"), m.envelope().recipients());
        assertEquals("swaks.test", m.envelope().heloName());
        // swaks always sends CRLF "." CRLF after the data, so a file ending in CRLF gains one empty line.
        byte[] sent = (new String(message, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(sent, TestMta.withoutReceived(m.body()));
        assertTrue(out.contains("<-  221 2.0.0"), out);
    }

    @Test
    void pipelinesAMultiRecipientMessage() throws Exception {
        String out = swaks("--pipeline", "--to", "a@example.com,b@example.org,c@example.net",
                "--header", "Subject: pipelined", "--body", "pipelined body");
        assertTrue(out.contains("PIPELINING"), out);
        SpooledMessage m = mta.queued(queueId(out));
        assertEquals(List.of("a@example.com", "b@example.org", "c@example.net"), m.envelope().recipients());
        String body = new String(TestMta.withoutReceived(m.body()), StandardCharsets.US_ASCII);
        assertTrue(body.contains("Subject: pipelined\r\n"), body);
        assertTrue(body.contains("\r\n\r\npipelined body\r\n"), body);
    }
}
