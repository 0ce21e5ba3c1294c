package dev.mta.server.http;

import dev.mta.server.support.MtaProcess;
import dev.mta.testkit.Peers;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a loopback port, with a configuration and a data folder
 * of its own, scraping one target every second; asked through its HTTP query API.
 */
final class PrometheusServer implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The value of a one-sample instant vector: {@code "value":[<time>,"<value>"]}. */
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([^\"]+)\"\\]");

    private final Process process;
    private final int port;
    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Prometheus scraping {@code target} (host:port) as job {@code mta}, and waits until it is ready. */
    static PrometheusServer start(Path dir, String target) throws Exception {
        String program = Peers.require("prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: mta",
                "    static_configs:",
                "      - targets: ['" + target + "']",
                ""));
        int port = MtaProcess.freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(program, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, port, log);
        try {
            server.awaitReady();
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited: " + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus did not become ready: " + Files.readString(log));
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An instant query through {@code /api/v1/query} that gives one sample: its value, or NaN when it gives none. */
    double query(String expr) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (r.statusCode() != 200 || !r.body().contains("\"status\":\"success\"")) {
            throw new AssertionError(expr + ": " + r.statusCode() + " " + r.body());
        }
        Matcher m = VALUE.matcher(r.body());
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        if (m.find()) {
            throw new AssertionError(expr + " gives more than one sample: " + r.body());
        }
        return v;
    }

    /** How many samples an instant query gives (0 when its metrics are not there or it matches nothing). */
    int samples(String expr) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (r.statusCode() != 200 || !r.body().contains("\"status\":\"success\"")) {
            throw new AssertionError(expr + ": " + r.statusCode() + " " + r.body());
        }
        int n = 0;
        for (Matcher m = VALUE.matcher(r.body()); m.find(); ) {
            n++;
        }
        return n;
    }

    /** Polls {@code expr} until its value passes {@code test}, up to {@code seconds}; returns the last value. */
    double await(String expr, DoublePredicate test, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        double v = query(expr);
        while (!test.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            v = query(expr);
        }
        return v;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
