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

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
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

/** Python's smtplib, a client no one here wrote, sends real messages; the spool must hold them byte for byte. */
@ExtendWith(LeakGuard.class)
class PythonSmtplibTest {
    private static final Pattern QUEUED = Pattern.compile("\\[250, \"2\\.0\\.0 Ok: queued as ([0-9A-F]+)\"\\]");

    @TempDir
    static Path spool;
    @TempDir
    static Path work;
    static TestMta mta;
    static Path script;

    @BeforeAll
    static void start() throws Exception {
        mta = TestMta.start(spool);
        script = work.resolve("smtplib_send.py");
        try (InputStream in = PythonSmtplibTest.class.getResourceAsStream("/peers/smtplib_send.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    @AfterAll
    static void stop() {
        mta.close();
    }

    /** Runs the Python client and returns the queue ids the server gave it. */
    private static List<String> send(byte[] body, List<String> extra, String... to) throws Exception {
        String python = Peers.require("python3");
        Path bodyFile = Files.createTempFile(work, "body", ".eml");
        Files.write(bodyFile, body);
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--host", "127.0.0.1",
                "--port", String.valueOf(mta.address().getPort()), "--from", "sender@example.com",
                "--body-file", bodyFile.toString()));
        for (String t : to) {
            cmd.add("--to");
            cmd.add(t);
        }
        cmd.addAll(extra);
        ProcessRunner.Result r = ProcessRunner.run(cmd, 120);
        assertEquals(0, r.exitCode(), r.output());
        List<String> ids = new ArrayList<>();
        Matcher m = QUEUED.matcher(r.output());
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertTrue(!ids.isEmpty(), () -> "no message was queued: " + r.output());
        return ids;
    }

    private static byte[] sampleBody() {
        return ("From: sender@example.com\r\nTo: a@example.com\r\nSubject: smtplib\r\n\r\n"
                + "line one\r\n.line with a leading dot\r\n..two dots\r\n.\r\nlast\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void multiRecipientMessageWithoutPipelining() throws Exception {
        List<String> ids = send(sampleBody(), List.of(), "a@example.com", "b@example.org", "c@example.net");
        SpooledMessage m = mta.queued(ids.get(0));
        assertEquals(List.of("a@example.com", "b@example.org", "c@example.net"), m.envelope().recipients());
        assertEquals("sender@example.com", m.envelope().reversePath());
        assertEquals("python.test", m.envelope().heloName());
        assertArrayEquals(sampleBody(), TestMta.withoutReceived(m.body()));
    }

    @Test
    void multiRecipientMessagesWithPipelining() throws Exception {
        List<String> ids = send(sampleBody(), List.of("--pipeline", "--count", "3"), "a@example.com", "b@example.org");
        assertEquals(3, ids.size());
        for (String id : ids) {
            SpooledMessage m = mta.queued(id);
            assertEquals(List.of("a@example.com", "b@example.org"), m.envelope().recipients());
            assertArrayEquals(sampleBody(), TestMta.withoutReceived(m.body()));
        }
    }

    @Test
    void twentyMegabyteMessage() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream(21 << 20);
        b.writeBytes("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int i = 0;
        while (b.size() < 20 << 20) {
            String line = (i % 97 == 0 ? "." : "") + "line " + i + " " + "abcdefghij".repeat(7) + "\r\n";
            b.writeBytes(line.getBytes(StandardCharsets.US_ASCII));
            i++;
        }
        byte[] body = b.toByteArray();
        SpooledMessage m = mta.queued(send(body, List.of(), "big@example.com").get(0));
        assertArrayEquals(body, TestMta.withoutReceived(m.body()));
    }

    @Test
    void eightBitMimeMessage() throws Exception {
        byte[] body = ("Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Grüße aus Köln, ½ € — ça va?\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] withLatin1 = new byte[body.length + 3];
        System.arraycopy(body, 0, withLatin1, 0, body.length);
        withLatin1[body.length] = (byte) 0xE9;
        withLatin1[body.length + 1] = '\r';
        withLatin1[body.length + 2] = '\n';
        SpooledMessage m = mta.queued(send(withLatin1, List.of("--mail-option", "BODY=8BITMIME"), "u@example.com").get(0));
        assertEquals("BODY=8BITMIME", m.envelope().mailParameters());
        assertArrayEquals(withLatin1, TestMta.withoutReceived(m.body()));
    }

    @Test
    void smtputf8AddressesAndHeaders() throws Exception {
        byte[] body = "Subject: ünïcödé\r\nFrom: josé@exämple.com\r\n\r\n日本語\r\n".getBytes(StandardCharsets.UTF_8);
        List<String> ids = send(body, List.of("--mail-option", "SMTPUTF8", "--mail-option", "BODY=8BITMIME"),
                "用户@例子.广告", "ascii@example.com");
        SpooledMessage m = mta.queued(ids.get(0));
        assertEquals(List.of("用户@例子.广告", "ascii@example.com"), m.envelope().recipients());
        assertEquals("UTF8SMTP", m.envelope().protocol());
        assertArrayEquals(body, TestMta.withoutReceived(m.body()));
    }

}
