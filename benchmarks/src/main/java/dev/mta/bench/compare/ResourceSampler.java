package dev.mta.bench.compare;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Samples a figure (PSS of a process tree) every {@link #PERIOD_MS} ms on its own thread and keeps the peak. */
final class ResourceSampler implements AutoCloseable {
    static final long PERIOD_MS = 200;

    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private ResourceSampler(LongSupplier figure) {
        thread = new Thread(() -> {
            while (running) {
                peak.accumulateAndGet(figure.getAsLong(), Math::max);
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "compare-sampler");
        thread.setDaemon(true);
    }

    /** Starts sampling the PSS of {@code pid}'s process tree. */
    static ResourceSampler pss(long pid) {
        ResourceSampler s = new ResourceSampler(() -> ProcFs.treePssBytes(pid));
        s.thread.start();
        return s;
    }

    long peak() {
        return peak.get();
    }

    /** Stops sampling (one last sample is taken first). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
