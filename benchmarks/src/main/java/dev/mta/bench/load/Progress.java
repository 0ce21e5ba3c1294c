package dev.mta.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live progress of a run, printed from a thread of its own (never an event loop): on a terminal one line
 * rewritten in place every half second, otherwise a plain line every few seconds.
 */
final class Progress implements AutoCloseable {
    private final LoadStats stats;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private long lastAccepted;
    private long lastNanos = startNanos;

    /** {@code everyMillis} 0: no progress at all. */
    Progress(LoadStats stats, PrintStream out, boolean terminal, long everyMillis) {
        this.stats = stats;
        this.out = out;
        this.terminal = terminal;
        if (everyMillis <= 0) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void print() {
        long now = System.nanoTime();
        long accepted = stats.acceptedCount();
        double rate = (accepted - lastAccepted) / ((now - lastNanos) / 1e9);
        lastAccepted = accepted;
        lastNanos = now;
        long inFlight = stats.sentCount() - accepted - stats.failedCount();
        String line = String.format(Locale.ROOT, "%6.1f s  %9.1f msgs/s  accepted %d  in flight %d  failed %d  errors %d",
                (now - startNanos) / 1e9, rate, accepted, inFlight, stats.failedCount(), stats.errorCount());
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            if (terminal) {
                out.println();
            }
        }
    }
}
