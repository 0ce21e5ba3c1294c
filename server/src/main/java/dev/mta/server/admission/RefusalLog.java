package dev.mta.server.admission;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log lines for connections refused by a limit, at most one a second: a flood must not become a flood of log lines.
 * Each line names the latest client refused and how many were refused since the last line.
 */
public final class RefusalLog {
    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    /** Notes one refusal of {@code client} for {@code reason}. */
    public void refused(InetAddress client, String reason) {
        long n = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLine.get();
        if (now - last >= INTERVAL_NANOS && lastLine.compareAndSet(last, now)) {
            refused.addAndGet(-n);
            log.info("refused {} connection(s) since the last such line; the latest from {}: {}", n,
                    client == null ? "unknown" : client.getHostAddress(), reason);
        }
    }
}
