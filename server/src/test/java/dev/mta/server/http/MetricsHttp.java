package dev.mta.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the metrics listener over a real socket, with the JDK's HTTP client. */
final class MetricsHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MetricsHttp() {
    }

    static HttpResponse<String> get(InetSocketAddress at, String path) throws IOException, InterruptedException {
        return send(at, path, "GET");
    }

    static HttpResponse<String> send(InetSocketAddress at, String path, String method)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static Exposition scrape(InetSocketAddress at) throws IOException, InterruptedException {
        HttpResponse<String> r = get(at, "/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics: " + r.statusCode() + " " + r.body());
        }
        return new Exposition(r.body());
    }
}
