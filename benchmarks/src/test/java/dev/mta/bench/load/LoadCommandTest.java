package dev.mta.bench.load;

import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.testkit.SmtpSink;
import dev.mta.testkit.TestCertificates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator against real SMTP servers: every message sent arrives exactly once, byte for byte. */
@ExtendWith(LeakGuard.class)
class LoadCommandTest {
    private static final Pattern ID = Pattern.compile("^X-Bench-Id: (\\S+)\r?$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void everyMessageArrivesOnceWithPipeliningAndConnectionReuse() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            LoadReport r = LoadArgs.run("--target", hostPort(server.address()), "--sessions", "8", "--messages", "500",
                    "--per-connection", "7", "--recipients", "2", "--size", "1k:50,20k:50", "--run-id", "t1");
            assertEquals(500, r.sent());
            assertEquals(500, r.accepted());
            assertEquals(0, r.failed(), r.errors()::toString);
            assertEquals(500, server.received.size());
            assertIdsOnce(server.received.stream().map(ScriptedSmtpServer.Received::text).toList(), "t1", 500);
            assertTrue(server.received.stream().allMatch(m -> m.rcptTo().size() == 2));
            // Each session ends its last connection part-used: at least 72 connections, at most one more a session.
            assertTrue(r.connections() >= 72 && r.connections() <= 72 + 8, "connections " + r.connections());
            assertEquals(500, r.latency().get("total").count());
        }
    }

    @Test
    void withoutPipeliningCommandsGoOneByOneAndNewConnectionsEachMessage() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            LoadReport r = LoadArgs.run("--target", hostPort(server.address()), "--sessions", "4", "--messages", "60",
                    "--per-connection", "1", "--pipelining", "off", "--run-id", "t2", "--size", "2k");
            assertEquals(60, r.accepted());
            assertEquals(60, r.connections());
            assertEquals(60, r.latency().get("connect").count());
            assertEquals(60, r.latency().get("greeting").count());
            assertIdsOnce(server.received.stream().map(ScriptedSmtpServer.Received::text).toList(), "t2", 60);
        }
    }

    @Test
    void contentArrivesExactlyAsGeneratedThroughDotStuffing() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            LoadArgs.run("--target", hostPort(server.address()), "--sessions", "1", "--messages", "3",
                    "--size", "5000", "--run-id", "t3", "--from", "a@b.test", "--to-domain", "c.test");
            assertEquals(3, server.received.size());
            for (int seq = 0; seq < 3; seq++) {
                ScriptedSmtpServer.Received got = server.received.get(seq);
                assertEquals("a@b.test", got.mailFrom());
                assertEquals(List.of("bench0@c.test"), got.rcptTo());
                assertArrayEquals(expected(seq), got.body(), "message " + seq);
                assertTrue(got.text().contains("\r\n.g"), "a line starting with a dot arrived unstuffed");
            }
        }
    }

    @Test
    void refusalsAreCountedByReplyCode() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.rcptReply = r -> "450 4.2.0 try later";
            LoadReport r = LoadArgs.run("--target", hostPort(server.address()), "--sessions", "2", "--messages", "20");
            assertEquals(0, r.accepted());
            assertEquals(20, r.failed());
            assertEquals(Map.of("RCPT 450", 20L), r.errors(), "each refused RCPT counted once, not again as the failure");
        }
    }

    @Test
    void againstPostfixSmtpSinkEveryIdArrivesOnce() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir)) {
            Path json = dir.resolve("report.json");
            LoadCommand cmd = new LoadCommand();
            int exit = new CommandLine(cmd).execute("--target", hostPort(sink.address()), "--sessions", "10",
                    "--messages", "300", "--per-connection", "10", "--size", "3k", "--run-id", "pf", "--quiet",
                    "--json", json.toString());
            assertEquals(0, exit);
            assertIdsOnce(sink.awaitComplete(300, 20_000), "pf", 300);
            String report = Files.readString(json);
            assertTrue(report.contains("\"accepted\" : 300"), report);
            assertTrue(report.contains("\"end-of-data\""), report);
        }
    }

    @Test
    void startTlsThenAuthPlainBeforeTheMail() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            server.tls = TestCertificates.serverContext(dir);
            server.authMechanisms = "PLAIN";
            LoadReport r = LoadArgs.run("--target", hostPort(server.address()), "--sessions", "2", "--messages", "10",
                    "--starttls", "--auth", "user:secret", "--run-id", "tls");
            assertEquals(10, r.accepted(), r.errors()::toString);
            assertTrue(server.received.stream().allMatch(ScriptedSmtpServer.Received::overTls));
            assertEquals(List.of("tls PLAIN \0user\0secret", "tls PLAIN \0user\0secret"), server.auths);
            assertIdsOnce(server.received.stream().map(ScriptedSmtpServer.Received::text).toList(), "tls", 10);
        }
    }

    @Test
    void startTlsNotOfferedFailsEachMessageWithThatReason() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer()) {
            LoadReport r = LoadArgs.run("--target", hostPort(server.address()), "--sessions", "1", "--messages", "3",
                    "--starttls");
            assertEquals(0, r.accepted());
            assertEquals(Map.of("STARTTLS not offered", 3L), r.errors());
        }
    }

    @Test
    void authIsRefusedInTheClearToAnotherHost() {
        LoadCommand cmd = new LoadCommand();
        int exit = new CommandLine(cmd).execute("--target", "192.0.2.1:25", "--auth", "u:p");
        assertEquals(2, exit);
    }

    private static byte[] expected(int seq) {
        MessageContent c = new MessageContent("t3", "a@b.test", new int[] {5000});
        try {
            ByteBuf h = c.headers(UnpooledByteBufAllocator.DEFAULT, seq, "bench0@c.test");
            byte[] headers = new byte[h.readableBytes()];
            h.readBytes(headers);
            h.release();
            byte[] body = MessageContent.plainBody(5000 - 160);
            byte[] all = new byte[headers.length + body.length];
            System.arraycopy(headers, 0, all, 0, headers.length);
            System.arraycopy(body, 0, all, headers.length, body.length);
            return all;
        } finally {
            c.close();
        }
    }

    static void assertIdsOnce(List<String> messages, String runId, int n) {
        Map<String, Integer> seen = new HashMap<>();
        for (String m : messages) {
            Matcher id = ID.matcher(m);
            assertTrue(id.find(), "no X-Bench-Id in " + m.substring(0, Math.min(200, m.length())));
            seen.merge(id.group(1), 1, Integer::sum);
        }
        assertEquals(n, seen.size());
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.getOrDefault(runId + "-" + i, 0), runId + "-" + i);
        }
    }

    static String hostPort(java.net.InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
