package dev.mta.server.http;

import dev.mta.queue.FatalErrorHandler;
import dev.mta.server.Mta;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.config.MetricsSettings;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.support.Await;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics listener over a real socket: the Prometheus text, the health checks, 404 and 405, counters that move. */
@ExtendWith(LeakGuard.class)
class MetricsEndpointTest {
    @TempDir
    Path dir;

    /** An MTA (relay off) with its metrics listener on a free loopback port. */
    static Mta start(Path spool, UnaryOperator<ServerConfig> tweak, Duration probeInterval) throws Exception {
        ServerConfig config = tweak.apply(TestMta.config(spool));
        return Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY, TlsSettings.DEFAULT, AuthSettings.NONE,
                ClientLimits.NONE, new MetricsSettings(new InetSocketAddress("127.0.0.1", 0), probeInterval));
    }

    private Mta start() throws Exception {
        return start(dir.resolve("spool"), c -> c, MetricsSettings.PROBE_INTERVAL);
    }

    @Test
    void servesThePrometheusTextFormatWithTheMtasJvmAndNettyMeters() throws Exception {
        try (Mta mta = start()) {
            // A collection first: every gauge's state must be held (Micrometer holds it weakly), else it reads NaN.
            System.gc();
            HttpResponse<String> r = MetricsHttp.get(mta.metricsAddress(), "/metrics");
            assertEquals(200, r.statusCode());
            assertEquals(HttpRoutes.METRICS_CONTENT_TYPE, r.headers().firstValue("content-type").orElse(""));
            Exposition e = new Exposition(r.body());
            assertTrue(r.body().contains("# TYPE mta_smtp_connections_total counter"), r.body());
            assertTrue(r.body().contains("# TYPE mta_queue_commit_seconds histogram"), r.body());
            for (String name : List.of("mta_smtp_connections_open", "mta_smtp_commands_total",
                    "mta_smtp_messages_received_total", "mta_smtp_messages_rejected_total",
                    "mta_smtp_message_size_bytes_bucket", "mta_queue_messages", "mta_queue_recipients",
                    "mta_queue_oldest_age_seconds", "mta_spool_size_bytes", "mta_spool_free_bytes",
                    "mta_queue_commit_seconds_bucket", "mta_queue_commit_batch_records_bucket",
                    "mta_queue_write_failures_total", "mta_delivery_attempts_total", "mta_delivery_delay_seconds_bucket",
                    "mta_relay_connections_open", "mta_dsn_generated_total", "mta_queue_removed_total", "mta_ready",
                    "mta_log_lines_dropped_total",
                    "jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
                    "system_cpus_available", "process_cpu_seconds_total", "process_files_open_files",
                    "netty_direct_memory_used_bytes",
                    "netty_allocator_memory_used_bytes")) {
                assertTrue(e.has(name), () -> name + " missing in:\n" + r.body());
            }
            assertEquals(1.0, e.value("mta_ready"));
            assertEquals(0.0, e.value("mta_queue_messages", "state", "active"));
            assertEquals(0.0, e.value("mta_smtp_commands_total", "listener", "smtp", "verb", "other", "reply", "5xx"));
            assertTrue(e.value("mta_spool_free_bytes") > 0);
            assertEquals(0.0, e.value("mta_relay_connections_open"));
            for (Exposition.Sample s : e.samples()) {
                assertTrue(!Double.isNaN(s.value()), () -> s + " is NaN");
            }
        }
    }

    @Test
    void promtoolAcceptsTheOutputWithEveryKindOfMeterPresent() throws Exception {
        String promtool = dev.mta.testkit.Peers.require("promtool");
        try (Mta mta = start()) {
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.smtpAddress())) {
                c.command("MAIL FROM:<a@example.com>").assertCode(250);
                c.command("RCPT TO:<b@example.org>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send(message(0) + ".\r\n");
                TestMta.queueId(c.read());
            }
            System.gc(); // the GC pause summary appears after the first collection (told asynchronously)
            Await.until(() -> scrapeQuietly(mta.metricsAddress()).has("jvm_gc_pause_seconds_count"), "a GC pause");
            String body = MetricsHttp.get(mta.metricsAddress(), "/metrics").body();
            dev.mta.server.support.ProcessRunner.Result r = dev.mta.server.support.ProcessRunner.run(
                    List.of(promtool, "check", "metrics"), body, 30);
            assertEquals(0, r.exitCode(), r.output());
            assertEquals("", r.output().strip());
        }
    }

    private static String message(int n) {
        return "Subject: message " + n + "\r\n\r\nbody " + n + "\r\n";
    }

    @Test
    void countersAndGaugesMoveByExactlyWhatHappened() throws Exception {
        try (Mta mta = start(dir.resolve("spool"), c -> c.withLimits(1000, c.maxRecipients(), c.maxConnections()),
                MetricsSettings.PROBE_INTERVAL)) {
            InetSocketAddress at = mta.metricsAddress();
            Exposition before = MetricsHttp.scrape(at);
            long bytes = 0;
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.smtpAddress())) {
                for (int n = 0; n < 3; n++) {
                    c.command("MAIL FROM:<a@example.com>").assertCode(250);
                    c.command("RCPT TO:<b" + n + "@example.org>").assertCode(250);
                    c.command("DATA").assertCode(354);
                    c.send(message(n) + ".\r\n");
                    TestMta.queueId(c.read());
                    bytes += message(n).getBytes(StandardCharsets.US_ASCII).length;
                }
                c.command("MAIL FROM:<a@example.com>").assertCode(250);
                c.command("RCPT TO:<big@example.org>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: big\r\n\r\n" + "x".repeat(2000) + "\r\n.\r\n");
                c.read().assertCode(552);
                c.command("XYZZY").assertCode(500);
                c.command("NOOP").assertCode(250);
                Exposition during = MetricsHttp.scrape(at);
                assertEquals(1.0, during.value("mta_smtp_connections_open", "listener", "smtp"));
                c.command("QUIT").assertCode(221);
            }
            // STARTTLS's 220 is written by the TLS code itself, and counted all the same.
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.smtpAddress())) {
                c.command("STARTTLS").assertCode(220);
                c.startTls();
                c.command("EHLO client.test").assertCode(250);
                c.command("QUIT").assertCode(221);
            }
            Await.until(() -> scrapeQuietly(at).value("mta_smtp_connections_open", "listener", "smtp") == 0,
                    "the connection counted closed");
            Exposition after = MetricsHttp.scrape(at);
            Delta d = new Delta(before, after);
            d.assertMoved(2, "mta_smtp_connections_total", "listener", "smtp", "result", "accepted");
            d.assertMoved(0, "mta_smtp_connections_total", "listener", "smtp", "result", "refused_limit");
            d.assertMoved(3, "mta_smtp_commands_total", "verb", "ehlo", "reply", "2xx");
            d.assertMoved(1, "mta_smtp_commands_total", "verb", "starttls", "reply", "2xx");
            d.assertMoved(4, "mta_smtp_commands_total", "verb", "mail", "reply", "2xx");
            d.assertMoved(4, "mta_smtp_commands_total", "verb", "rcpt", "reply", "2xx");
            d.assertMoved(4, "mta_smtp_commands_total", "verb", "data", "reply", "3xx");
            d.assertMoved(0, "mta_smtp_commands_total", "verb", "data", "reply", "2xx");
            d.assertMoved(1, "mta_smtp_commands_total", "verb", "other", "reply", "5xx");
            d.assertMoved(1, "mta_smtp_commands_total", "verb", "noop", "reply", "2xx");
            d.assertMoved(2, "mta_smtp_commands_total", "verb", "quit", "reply", "2xx");
            d.assertMoved(3, "mta_smtp_messages_received_total");
            d.assertMoved(1, "mta_smtp_messages_rejected_total", "listener", "smtp", "reason", "size");
            d.assertMoved(3, "mta_smtp_message_size_bytes_count");
            d.assertMoved(bytes, "mta_smtp_message_size_bytes_sum");
            // One fsync for each message, sent one after the other, of its one record.
            d.assertMoved(3, "mta_queue_commit_seconds_count");
            d.assertMoved(3, "mta_queue_commit_batch_records_sum");
            assertEquals(3.0, after.value("mta_queue_messages", "state", "active"));
            assertEquals(3.0, after.value("mta_queue_recipients", "state", "active"));
            assertEquals(0.0, after.value("mta_queue_messages", "state", "deferred"));
            assertTrue(after.value("mta_queue_oldest_age_seconds") > 0);
            assertTrue(after.value("mta_spool_size_bytes") > 0);
            assertEquals(0.0, after.value("mta_delivery_attempts_total", "result", "delivered", "transport", "smtp"),
                    "the relay is off");
        }
    }

    private static Exposition scrapeQuietly(InetSocketAddress at) {
        try {
            return MetricsHttp.scrape(at);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** How far each sample moved between two scrapes. */
    record Delta(Exposition before, Exposition after) {
        void assertMoved(double by, String name, String... labels) {
            assertEquals(by, after.value(name, labels) - before.value(name, labels), () -> name + " " + List.of(labels));
        }
    }

    @Test
    void healthChecksAndTheAnswersToOtherPathsAndMethods() throws Exception {
        try (Mta mta = start()) {
            InetSocketAddress at = mta.metricsAddress();
            HttpResponse<String> live = MetricsHttp.get(at, "/health/live");
            assertEquals(200, live.statusCode());
            assertEquals("live\n", live.body());
            HttpResponse<String> ready = MetricsHttp.get(at, "/health/ready?verbose=1");
            assertEquals(200, ready.statusCode());
            assertEquals("ready\n", ready.body());
            assertEquals(404, MetricsHttp.get(at, "/").statusCode());
            assertEquals(404, MetricsHttp.get(at, "/metrics/extra").statusCode());
            assertEquals(404, MetricsHttp.send(at, "/admin", "DELETE").statusCode());
            for (String method : List.of("POST", "PUT", "DELETE")) {
                HttpResponse<String> r = MetricsHttp.send(at, "/metrics", method);
                assertEquals(405, r.statusCode(), method);
                assertEquals("GET", r.headers().firstValue("allow").orElse(""), method);
            }
            assertEquals(405, MetricsHttp.send(at, "/health/ready", "POST").statusCode());
            // HTTP/1.0 without keep-alive: answered, then closed by the server.
            try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /health/live HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n") && answer.endsWith("\r\n\r\nlive\n"), answer);
            }
        }
    }

    @Test
    void readinessIs503OnceShutdownBeginsWhileLivenessStays200() throws Exception {
        Mta mta = start();
        InetSocketAddress at = mta.metricsAddress();
        CompletableFuture<Void> closing = null;
        try (SmtpTestClient c = SmtpTestClient.greeted(mta.smtpAddress())) {
            // A message in flight keeps the shutdown in its grace period.
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            c.command("RCPT TO:<b@example.org>").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send("Subject: late\r\n\r\n");
            closing = CompletableFuture.runAsync(mta::close);
            Await.until(() -> status(at, "/health/ready") == 503, "readiness 503 during the shutdown");
            assertEquals("shutting down\n", MetricsHttp.get(at, "/health/ready").body());
            assertEquals(200, MetricsHttp.get(at, "/health/live").statusCode());
            assertEquals(0.0, MetricsHttp.scrape(at).value("mta_ready"));
            c.send("body\r\n.\r\n");
            Reply done = c.read();
            assertEquals(250, done.code(), "the message in flight still finishes: " + done);
        } finally {
            if (closing != null) {
                closing.join();
            }
            mta.close();
        }
    }

    @Test
    void aTakenMetricsPortStopsTheStartBeforeTheSpoolIsTouched() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerConfig config = TestMta.config(dir.resolve("spool"));
            java.net.BindException e = org.junit.jupiter.api.Assertions.assertThrows(java.net.BindException.class,
                    () -> Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY, TlsSettings.DEFAULT,
                            AuthSettings.NONE, ClientLimits.NONE, MetricsSettings.on(
                                    new InetSocketAddress("127.0.0.1", taken.getLocalPort()))));
            assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use (metrics-listen)",
                    e.getMessage());
            assertTrue(!java.nio.file.Files.exists(dir.resolve("spool")), "the spool was not touched");
        }
    }

    private static int status(InetSocketAddress at, String path) {
        try {
            return MetricsHttp.get(at, path).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
