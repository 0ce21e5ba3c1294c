package dev.mta.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link IdleConnections} benchmark run against a real MTA in a JVM of its own with a 256 MB heap: 10,000 idle
 * connections from 127.0.0.1 are greeted and held without exhausting heap or direct memory, and a new client is still
 * greeted and queues a message promptly. Reports heap, direct memory and RSS. Slow: it needs over 20,000 file
 * descriptors between the two processes and a minute or so of two cores.
 */
@Tag("slow")
class IdleConnectionsTest {
    private static final int CONNECTIONS = 10_000;
    /** Descriptors each process needs: its end of every connection, and its own files and sockets. */
    private static final long DESCRIPTORS = CONNECTIONS + 1_000;
    /** A generous "still served" bound: the figure itself is reported, not asserted. */
    private static final long SERVED_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Direct memory an idle session may hold: nothing but allocator slack, its buffers are all released. */
    private static final long DIRECT_PER_IDLE = 4 << 10;

    @TempDir
    Path dir;

    @Test
    void tenThousandIdleConnectionsAreHeldAndANewClientIsServed() throws Exception {
        requireDescriptors();
        int port = freePort();
        Path log = dir.resolve("mta.log");
        Process mta = startMta(port, log);
        try {
            awaitGreeting(port);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

            IdleConnections.Result r = IdleConnections.run(address, CONNECTIONS, mta.pid());
            IdleConnections.print(r, address, mta.pid(), System.out);

            assertEquals(CONNECTIONS, r.greeted(), () -> r + "\n" + tail(log));
            assertEquals(CONNECTIONS, r.stillIdle(), "the MTA dropped idle connections");
            assertNull(r.newClientError(), () -> r.newClientError() + "\n" + tail(log));
            assertTrue(r.newClient().queued().startsWith("250 2.0.0"), r.newClient().queued());
            assertTrue(r.newClient().totalNanos() < SERVED_WITHIN_NANOS, () -> "the new client took "
                    + r.newClient().totalNanos() / 1e6 + " ms");
            assertTrue(mta.isAlive(), () -> "the MTA died: " + tail(log));
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), () -> tail(log));
            // -1 when jcmd cannot attach: then the behaviour above is all this test can check.
            long direct = r.held().nativeOther() - r.atRest().nativeOther();
            assertTrue(r.atRest().nativeOther() < 0 || direct <= (long) CONNECTIONS * DIRECT_PER_IDLE,
                    () -> direct + " bytes of direct memory for " + CONNECTIONS + " idle connections");
        } finally {
            mta.destroy();
            if (!mta.waitFor(30, TimeUnit.SECONDS)) {
                mta.destroyForcibly();
            }
        }
    }

    /** The MTA from this module's class path, with room for the connections and memory tracking on. */
    private Process startMta(int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:NativeMemoryTracking=summary", "-cp", System.getProperty("java.class.path"),
                "dev.mta.server.MtaMain", "--smtp-listen", "127.0.0.1:" + port, "--spool", dir.resolve("spool").toString(),
                "--metrics-listen", "off",
                "--hostname", "mx.test", "--no-relay", "--max-connections", String.valueOf(CONNECTIONS + 1_000)
                // All 10,000 come from 127.0.0.1, which the per-client limits do not count: loopback is in the
                // default --mynetworks, and so in the default --client-limit-exceptions.
        );
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Skips the test when this JVM may not open enough files (as the project's missing peers: under CI, fails it). */
    private static void requireDescriptors() {
        long fds = descriptorLimit();
        String why = "the open-file limit of this JVM is " + fds + ", " + DESCRIPTORS + " are needed for "
                + CONNECTIONS + " connections: raise it (ulimit -n; .ci/run does) to run this test";
        if (fds < DESCRIPTORS && System.getenv("CI") != null) {
            throw new AssertionError(why);
        }
        assumeTrue(fds >= DESCRIPTORS, why);
    }

    /** The most files this JVM may open (HotSpot raises its soft limit to the hard one); the MTA inherits it. */
    private static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean ? ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount()
                : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits (up to 30 s) until the MTA greets on {@code port}. */
    private static void awaitGreeting(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5_000);
                if (new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII).startsWith("220")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the MTA did not start listening on " + port);
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
