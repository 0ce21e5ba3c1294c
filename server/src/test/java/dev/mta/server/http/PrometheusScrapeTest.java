package dev.mta.server.http;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.Peers;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.testkit.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (Debian's package) scrapes a real MTA process every second while mail goes through it to
 * Postfix's smtp-sink, a next hop that refuses every recipient, and one that refuses connections; its query API
 * must show every counter moved by exactly what happened. {@code promtool check metrics} passes on the output.
 */
class PrometheusScrapeTest {
    private static final int N = 20;

    @TempDir
    Path dir;

    @Test
    void prometheusSeesTheCountersMoveByExactlyWhatHappened() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir);
             ScriptedSmtpServer refusing = new ScriptedSmtpServer()) {
            refusing.rcptReply = r -> "550 5.1.1 no such user";
            int down = MtaProcess.freePort(); // nothing listens there: connections are refused
            int smtpPort = MtaProcess.freePort();
            int metricsPort = MtaProcess.freePort();
            Path log = dir.resolve("mta.log");
            Process mta = MtaProcess.start(smtpPort, dir.resolve("spool"), log, List.of(
                    "--metrics-listen", "127.0.0.1:" + metricsPort,
                    "--transport-map", "ok.example=127.0.0.1:" + sink.address().getPort()
                            + ",bounce.example=127.0.0.1:" + refusing.address().getPort()
                            + ",down.example=127.0.0.1:" + down,
                    "--retry-delays", "1h", "--outbound-idle-timeout", "1"));
            try (PrometheusServer prom = PrometheusServer.start(dir, "127.0.0.1:" + metricsPort)) {
                MtaProcess.awaitListening(smtpPort);
                run(prom, new InetSocketAddress("127.0.0.1", smtpPort), new InetSocketAddress("127.0.0.1", metricsPort));
                sink.awaitComplete(N + 1, 20_000);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- mta log:\n" + Files.readString(log), e);
            } finally {
                mta.destroy();
                if (!mta.waitFor(30, TimeUnit.SECONDS)) {
                    mta.destroyForcibly();
                }
            }
        }
    }

    private static final String[] COUNTERS = {
        "mta_smtp_connections_total{result=\"accepted\"}",
        "mta_smtp_commands_total{verb=\"ehlo\",reply=\"2xx\"}",
        "mta_smtp_commands_total{verb=\"mail\",reply=\"2xx\"}",
        "mta_smtp_commands_total{verb=\"rcpt\",reply=\"2xx\"}",
        "mta_smtp_commands_total{verb=\"data\",reply=\"3xx\"}",
        "mta_smtp_commands_total{verb=\"quit\",reply=\"2xx\"}",
        "mta_smtp_commands_total{reply=~\"4xx|5xx\"}",
        "mta_smtp_messages_received_total",
        "mta_smtp_messages_rejected_total",
        "mta_delivery_attempts_total{result=\"delivered\",transport=\"smtp\"}",
        "mta_delivery_attempts_total{result=\"deferred\",transport=\"smtp\"}",
        "mta_delivery_attempts_total{result=\"bounced\",transport=\"smtp\"}",
        "mta_delivery_attempts_total{transport!=\"smtp\"}",
        "mta_delivery_delay_seconds_count",
        "mta_dsn_generated_total",
        "mta_queue_removed_total{reason=\"done\"}",
        "mta_queue_write_failures_total",
    };

    private static void run(PrometheusServer prom, InetSocketAddress smtp, InetSocketAddress metrics) throws Exception {
        // The baseline: a scrape newer than everything done so far (the start, the listening probe's connection).
        double t0 = System.currentTimeMillis() / 1000.0;
        prom.await("timestamp(up{job=\"mta\"})", v -> v > t0 + 0.5, 20);
        assertEquals(1.0, prom.query("up{job=\"mta\"}"), "Prometheus scrapes the MTA");
        Map<String, Double> before = new LinkedHashMap<>();
        for (String c : COUNTERS) {
            before.put(c, value(prom, c));
        }

        try (SmtpTestClient c = SmtpTestClient.greeted(smtp)) {
            for (int n = 0; n < N + 2; n++) {
                String rcpt = n < N ? "r" + n + "@ok.example" : n == N ? "nobody@bounce.example" : "later@down.example";
                c.command("MAIL FROM:<sender@ok.example>").assertCode(250);
                c.command("RCPT TO:<" + rcpt + ">").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: " + n + "\r\n\r\nmessage " + n + "\r\n.\r\n");
                TestMta.queueId(c.read());
            }
            c.command("QUIT").assertCode(221);
        }

        // N to smtp-sink and the DSN for bounce.example's refusal (to the sender, at ok.example) are delivered.
        Map<String, Double> moved = new LinkedHashMap<>();
        moved.put(COUNTERS[0], 1.0);
        moved.put(COUNTERS[1], 1.0);
        moved.put(COUNTERS[2], N + 2.0);
        moved.put(COUNTERS[3], N + 2.0);
        moved.put(COUNTERS[4], N + 2.0);
        moved.put(COUNTERS[5], 1.0);
        moved.put(COUNTERS[6], 0.0);
        moved.put(COUNTERS[7], N + 2.0);
        moved.put(COUNTERS[8], 0.0);
        moved.put(COUNTERS[9], N + 1.0);
        moved.put(COUNTERS[10], 1.0);
        moved.put(COUNTERS[11], 1.0);
        moved.put(COUNTERS[12], 0.0);
        moved.put(COUNTERS[13], N + 1.0);
        moved.put(COUNTERS[14], 1.0);
        moved.put(COUNTERS[15], N + 2.0); // the N, bounce.example's message once bounced, and the DSN
        moved.put(COUNTERS[16], 0.0);
        for (Map.Entry<String, Double> m : moved.entrySet()) {
            double want = before.get(m.getKey()) + m.getValue();
            double got = prom.await("sum(" + m.getKey() + ")", v -> v == want, 30);
            assertEquals(want, got, () -> m.getKey() + " moved by " + (got - before.get(m.getKey())) + ", not "
                    + m.getValue());
        }
        // Still exact a few scrapes later: nothing counted twice.
        Thread.sleep(2500);
        for (Map.Entry<String, Double> m : moved.entrySet()) {
            assertEquals(before.get(m.getKey()) + m.getValue(), value(prom, m.getKey()), m.getKey());
        }

        // The gauges: down.example's message waits for its retry, and nothing else is queued.
        assertEquals(1.0, prom.await("sum(mta_queue_messages{state=\"deferred\"})", v -> v == 1, 10));
        assertEquals(1.0, prom.query("sum(mta_queue_recipients{state=\"deferred\"})"));
        assertEquals(0.0, prom.query("sum(mta_queue_messages{state=~\"active|held\"})"));
        assertTrue(prom.query("mta_queue_oldest_age_seconds") > 0);
        assertTrue(prom.query("mta_spool_size_bytes") > 0);
        assertEquals(1.0, prom.query("mta_ready"));
        assertTrue(!Double.isNaN(prom.query("netty_direct_memory_used_bytes")), "Netty's direct memory is scraped");
        assertTrue(prom.query("sum(jvm_memory_used_bytes{area=\"heap\"})") > 0);
        // The dashboard's quantiles are answerable from the buckets served.
        double commitP99 = prom.query("histogram_quantile(0.99, sum by (le) (rate(mta_queue_commit_seconds_bucket[1m])))");
        assertTrue(commitP99 > 0 && commitP99 <= 5, "commit p99 " + commitP99);
        double delayP99 = prom.query("histogram_quantile(0.99, sum by (le) (rate(mta_delivery_delay_seconds_bucket[1m])))");
        assertTrue(delayP99 > 0 && delayP99 <= 30, "delivery delay p99 " + delayP99);

        // Every query of the Grafana dashboard in deploy/ is answered.
        for (String expr : dashboardQueries()) {
            String q = expr.replace("$__rate_interval", "1m").replace("$instance", ".*");
            assertTrue(prom.samples(q) > 0, "the dashboard's query has no answer: " + q);
        }

        // promtool, from the same package, accepts the endpoint's output.
        HttpResponse<String> r = MetricsHttp.get(metrics, "/metrics");
        assertEquals(200, r.statusCode());
        ProcessRunner.Result check = ProcessRunner.run(List.of(Peers.require("promtool"), "check", "metrics"), r.body(), 30);
        assertEquals(0, check.exitCode(), "promtool check metrics: " + check.output());
        assertEquals("", check.output().strip(), "promtool found nothing to say");
    }

    /** The PromQL of every panel of deploy/grafana-dashboard.json (the tests run in the server module). */
    static List<String> dashboardQueries() throws IOException {
        String json = Files.readString(Path.of("..", "deploy", "grafana-dashboard.json"));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        assertTrue(out.size() >= 7, "the dashboard's queries: " + out);
        return out;
    }

    private static double value(PrometheusServer prom, String series) throws Exception {
        double v = prom.query("sum(" + series + ")");
        assertTrue(!Double.isNaN(v), () -> series + " is not scraped");
        return v;
    }
}
