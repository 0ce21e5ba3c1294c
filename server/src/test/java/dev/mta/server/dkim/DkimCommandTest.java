package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;
import dev.mta.server.config.Defaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java ... MtaMain dkim keygen|check} in a real process: files, output and exit status as an operator meets them. */
class DkimCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run mta(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.mta.server.MtaMain"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void assertOneErrorLine(Run r, int status, String text) {
        assertEquals(status, r.status(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("mta: ") && r.err().contains(text), r.err());
    }

    @Test
    void keygenWritesAKeyThatReadsBackAndPrintsItsRecord() throws Exception {
        Run r = mta("dkim", "keygen", "--domain", "Example.COM.", "--selector", "mail");
        assertEquals(0, r.status(), r.toString());
        Path file = dir.resolve(Defaults.DKIM_KEY_DIR).resolve("example.com/mail.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        DkimSigningKey key = DkimSigningKey.fromPem(Files.readString(file));
        assertEquals(2048, key.bits(), "rsa-2048 by default");
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");

        assertEquals(1, r.out().lines().count(), "standard output is the record alone: " + r.out());
        assertTrue(r.out().startsWith("mail._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; p="), r.out());
        assertTrue(r.out().endsWith("\" )\n"), r.out());
        List<String> strings = ZoneRecordTest.quotedStrings(r.out());
        assertEquals(2, strings.size(), r.out());
        strings.forEach(s -> assertTrue(s.getBytes(StandardCharsets.US_ASCII).length <= 255, s));
        assertEquals(key.dnsRecord(), String.join("", strings));
        assertEquals("mta: wrote data/dkim/example.com/mail.pem (rsa, 2048 bits); publish the record above, then: "
                + "mta dkim check --domain example.com --selector mail\n", r.err());
    }

    @Test
    void ed25519KeyInAGivenDirectoryAndNoOverwriteWithoutForce() throws Exception {
        Path keys = dir.resolve("keys");
        Run r = mta("dkim", "keygen", "--domain", "example.org", "--selector", "ed1", "--algorithm", "ed25519",
                "--key-dir", keys.toString());
        assertEquals(0, r.status(), r.toString());
        Path file = keys.resolve("example.org/ed1.pem");
        DkimSigningKey key = DkimSigningKey.fromPem(Files.readString(file));
        assertEquals("ed1._domainkey.example.org. IN TXT ( \"" + key.dnsRecord() + "\" )\n", r.out());
        assertTrue(key.dnsRecord().startsWith("v=DKIM1; k=ed25519; p="), key.dnsRecord());

        Run again = mta("dkim", "keygen", "--domain", "example.org", "--selector", "ed1", "--key-dir", keys.toString());
        assertOneErrorLine(again, 1, file + " exists: selector ed1 has a key (--force replaces it");
        assertEquals(key.dnsRecord(), DkimSigningKey.fromPem(Files.readString(file)).dnsRecord(), "the key stays");

        Run forced = mta("dkim", "keygen", "--domain", "example.org", "--selector", "ed1", "--key-dir", keys.toString(),
                "--algorithm", "ed25519", "--force");
        assertEquals(0, forced.status(), forced.toString());
        DkimSigningKey replaced = DkimSigningKey.fromPem(Files.readString(file));
        assertNotEquals(key.dnsRecord(), replaced.dnsRecord(), "a new key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void badOptionsAreOneLineNamingTheOptionAndStatus2() throws Exception {
        assertOneErrorLine(mta("dkim", "keygen", "--domain", "exa mple.com", "--selector", "s"), 2,
                "--domain is not a domain name: 'exa mple.com'");
        assertOneErrorLine(mta("dkim", "keygen", "--domain", "example.com", "--selector", "../../etc/x"), 2,
                "--selector is not a selector: '../../etc/x'");
        assertOneErrorLine(mta("dkim", "keygen", "--domain", "example.com", "--selector", "s", "--algorithm", "rsa-1024"),
                2, "--algorithm must be rsa-2048 or ed25519, not 'rsa-1024'");
        assertOneErrorLine(mta("dkim", "keygen", "--selector", "s"), 2, "--domain");
        assertOneErrorLine(mta("dkim", "check", "--domain", "example.com", "--dns-server", "127.0.0.1"), 2,
                "--dns-server");
        assertOneErrorLine(mta("dkim"), 2, "dkim needs a subcommand");
        assertFalse(Files.exists(dir.resolve("data")), "nothing written");
    }

    @Test
    void checkSaysPerSelectorWhetherDnsMatches() throws Exception {
        Path keys = dir.resolve("keys");
        for (String s : List.of("a", "b", "c")) {
            assertEquals(0, mta("dkim", "keygen", "--domain", "example.com", "--selector", s, "--algorithm", "ed25519",
                    "--key-dir", keys.toString()).status());
        }
        KeyDirectory dkim = new KeyDirectory(keys);
        String a = dkim.read("example.com", "a").dnsRecord();
        String b = dkim.read("example.com", "b").dnsRecord();
        try (TxtResponder dns = new TxtResponder().txt("a._domainkey.example.com", a)
                .txt("b._domainkey.example.com", a)) {
            String server = "127.0.0.1:" + dns.address().getPort();
            Run all = mta("dkim", "check", "--domain", "example.com", "--key-dir", keys.toString(), "--dns-server", server);
            assertEquals(1, all.status(), all.toString());
            assertEquals("""
                    a._domainkey.example.com: matches (ed25519)
                    b._domainkey.example.com: differs: key differs (p= is another ed25519 key)
                    c._domainkey.example.com: differs: record missing (no such name)
                    """, all.out());
            assertEquals("", all.err());

            Run one = mta("dkim", "check", "--domain", "example.com", "--selector", "a", "--key-dir", keys.toString(),
                    "--dns-server", server);
            assertEquals(0, one.status(), one.toString());
            assertEquals("a._domainkey.example.com: matches (ed25519)\n", one.out());

            dns.txt("b._domainkey.example.com", b);
            Run two = mta("dkim", "check", "--domain", "example.com", "--selector", "B", "--key-dir", keys.toString(),
                    "--dns-server", server);
            assertEquals("b._domainkey.example.com: differs: several records (2 TXT records, one of them this key; "
                    + "verifiers may take any one)\n", two.out());
            assertEquals(1, two.status());
        }
        assertOneErrorLine(mta("dkim", "check", "--domain", "example.net", "--key-dir", keys.toString()), 1,
                "no keys for example.net in " + keys.resolve("example.net"));
        assertOneErrorLine(mta("dkim", "check", "--domain", "example.com", "--selector", "z", "--key-dir",
                keys.toString()), 1, "no key for selector z of example.com");
    }

    @Test
    void helpShowsTheDefaultKeyDirectory() {
        CommandLine cmd = new CommandLine(new DkimCommand());
        assertEquals(List.of("keygen", "check"), List.copyOf(cmd.getSubcommands().keySet()));
        for (CommandLine sub : cmd.getSubcommands().values()) {
            assertEquals(Defaults.DKIM_KEY_DIR, sub.getCommandSpec().findOption("--key-dir").defaultValue());
            String help = sub.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(help.contains("(default: " + Defaults.DKIM_KEY_DIR + ")"), help);
        }
    }
}
