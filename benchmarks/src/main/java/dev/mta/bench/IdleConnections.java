package dev.mta.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Idle connections held against an SMTP server while a new client is served. Opens COUNT connections to the server
 * (loopback only), reads each greeting and holds them idle, then times a new client's whole transaction (greeting,
 * EHLO, MAIL, RCPT, DATA, QUIT) among them. Given the server's pid, it also reads the server's memory at rest and
 * with the connections held: heap live after a full collection, direct memory (native memory tracking's "Other",
 * so the server needs -XX:NativeMemoryTracking=summary) and RSS. Stops by itself.
 *
 * <pre>java -cp benchmarks/target/mta-bench.jar dev.mta.bench.IdleConnections 127.0.0.1:2525 10000 [SERVER_PID]</pre>
 */
public final class IdleConnections {
    /** How long opening the connections may take in all. */
    static final Duration OPEN_LIMIT = Duration.ofSeconds(180);
    /** How long they are held before the new client comes. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final int CLIENT_TIMEOUT_MILLIS = 10_000;

    private IdleConnections() {
    }

    /** What one run found; {@code atRest} and {@code held} are null without a pid, {@code newClient} when it failed. */
    record Result(int asked, int greeted, int refused, int failed, long openNanos, int stillIdle,
                  TimedTransaction.Timing newClient, String newClientError, ServerMemory atRest, ServerMemory held) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: IdleConnections HOST:PORT [COUNT (10000)] [SERVER_PID]");
            System.exit(2);
        }
        InetSocketAddress server = address(args[0]);
        if (server.isUnresolved() || !server.getAddress().isLoopbackAddress()) {
            System.err.println("IdleConnections: loopback addresses only, not " + args[0]);
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long pid = args.length > 2 ? Long.parseLong(args[2]) : -1;
        Result r = run(server, count, pid);
        print(r, server, pid, System.out);
        System.exit(r.newClientError() == null ? 0 : 1);
    }

    /** Opens, holds and measures; the connections are closed again before it returns. {@code pid} -1: no memory. */
    static Result run(InetSocketAddress server, int count, long pid) throws IOException, InterruptedException {
        ServerMemory atRest = pid > 0 ? ServerMemory.read(pid) : null;
        long start = System.nanoTime();
        try (IdlePool pool = IdlePool.open(server, count, OPEN_LIMIT)) {
            long opened = System.nanoTime() - start;
            Thread.sleep(SETTLE.toMillis());
            TimedTransaction.Timing timing = null;
            String error = null;
            try {
                timing = TimedTransaction.run(server, CLIENT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                error = e.toString();
            }
            int stillIdle = pool.stillIdle();
            ServerMemory held = pid > 0 ? ServerMemory.read(pid) : null;
            return new Result(count, pool.greeted(), pool.refused(), pool.failed(count), opened, stillIdle, timing,
                    error, atRest, held);
        }
    }

    static void print(Result r, InetSocketAddress server, long pid, PrintStream out) {
        out.printf("%,d connections to %s: %,d greeted with 220 and held, %,d refused, %,d failed, in %.1f s;"
                        + " %,d still idle after the new client%n", r.asked(), server, r.greeted(), r.refused(),
                r.failed(), r.openNanos() / 1e9, r.stillIdle());
        if (r.newClient() != null) {
            out.printf("new client among them: greeted in %.1f ms, whole transaction (EHLO MAIL RCPT DATA QUIT) in"
                    + " %.1f ms (%s)%n", r.newClient().greetingNanos() / 1e6, r.newClient().totalNanos() / 1e6,
                    r.newClient().queued());
        } else {
            out.println("new client among them: FAILED: " + r.newClientError());
        }
        if (r.atRest() != null) {
            int n = Math.max(1, r.greeted());
            out.printf("server %d at rest: heap live %s, direct (NMT Other) %s, RSS %s%n", pid,
                    mb(r.atRest().heapLive()), mb(r.atRest().nativeOther()), mb(r.atRest().rss()));
            out.printf("server %d holding them: heap live %s (%s per connection), direct (NMT Other) %s (%s per"
                            + " connection), RSS %s (%s per connection)%n", pid,
                    mb(r.held().heapLive()), perConnection(r.atRest().heapLive(), r.held().heapLive(), n),
                    mb(r.held().nativeOther()), perConnection(r.atRest().nativeOther(), r.held().nativeOther(), n),
                    mb(r.held().rss()), perConnection(r.atRest().rss(), r.held().rss(), n));
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "unknown" : String.format("%.1f MB", bytes / 1048576.0);
    }

    private static String perConnection(long before, long after, int n) {
        return before < 0 || after < 0 ? "unknown" : String.format("%.2f KB", (after - before) / 1024.0 / n);
    }
}
