package dev.mta.bench.sink;

import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sink} on the command line: stops after --exit-after, reports, writes JSON, exits 1 on a failed check. */
@ExtendWith(LeakGuard.class)
class SinkCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsMissingAndDuplicateIdsAndExitsOne() throws Exception {
        Path expect = Files.writeString(dir.resolve("ids"), "a\nb\nc\n");
        Path json = dir.resolve("report.json");
        int port = freePort();
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new SinkCommand()).setOut(new PrintWriter(text, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--listen",
                "127.0.0.1:" + port, "--expect", expect.toString(), "--exit-after", "3", "--json", json.toString(),
                "--seed", "5"));
        try (SinkTestClient client = connect(port)) {
            client.reply();
            client.command("EHLO load.test");
            assertEquals(250, client.send("a", 1));
            assertEquals(250, client.send("b", 2));
            assertEquals(250, client.send("a", 1));
        }
        assertEquals(1, exit.get(20, TimeUnit.SECONDS));
        String report = text.toString();
        assertTrue(report.contains("messages 3"), report);
        assertTrue(report.contains("recipients 4"), report);
        assertTrue(report.contains("missing 1 [c]"), report);
        assertTrue(report.contains("duplicated 1 [a x2]"), report);
        assertTrue(report.contains("seed 5"), report);
        String written = Files.readString(json);
        assertTrue(written.contains("\"exactly_once_ok\" : false"), written);
        assertTrue(written.contains("\"missingSample\" : [ \"c\" ]"), written);
        assertTrue(written.contains("\"messages\" : 3"), written);
    }

    @Test
    void exitsZeroWhenEveryExpectedIdCameOnce() throws Exception {
        int port = freePort();
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new SinkCommand()).setOut(new PrintWriter(text, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--listen",
                "127.0.0.1:" + port, "--expect-count", "2", "--id-prefix", "run1-", "--duration", "3"));
        try (SinkTestClient client = connect(port)) {
            client.reply();
            client.command("EHLO load.test");
            assertEquals(250, client.send("run1-0", 1));
            assertEquals(250, client.send("run1-1", 1));
            assertEquals(221, client.command("QUIT"));
        }
        assertEquals(0, exit.get(20, TimeUnit.SECONDS), text.toString());
        assertTrue(text.toString().contains("exactly once: OK, expected 2"), text.toString());
    }

    @Test
    void refusesBadShares() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SinkCommand()).setErr(new PrintWriter(err, true))
                .execute("--listen", "127.0.0.1:0", "--rcpt-temp-fail", "80", "--rcpt-perm-fail", "30");
        assertEquals(2, code);
        assertTrue(err.toString().contains("more than 100%"), err.toString());
    }

    @Test
    void offersStarttlsAndAcceptsMailOverIt() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(new InetSocketAddress("127.0.0.1", 0)).withStarttls(true));
             SinkTestClient client = new SinkTestClient(sink.address())) {
            client.reply();
            client.command("EHLO load.test");
            assertTrue(client.last.contains("STARTTLS"), client.last);
            assertEquals(220, client.command("STARTTLS"));
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{new TrustAll()}, null);
            SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(client.socket(), "127.0.0.1",
                    sink.address().getPort(), true);
            tls.startHandshake();
            client.attach(tls);
            assertEquals(250, client.command("EHLO load.test"));
            assertFalse(client.last.contains("STARTTLS"), client.last);
            assertEquals(250, client.send("tls-1", 1));
            assertEquals(221, client.command("QUIT"));
            assertEquals(1, sink.receivedIds().get("tls-1"));
        }
    }

    private static SinkTestClient connect(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return new SinkTestClient(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The sink's certificate is self-signed: the test trusts it. */
    private static final class TrustAll implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
