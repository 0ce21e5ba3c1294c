package dev.mta.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One load run's settings, as {@code mta-bench load} parsed them. {@code messages} is Long.MAX_VALUE when only the
 * duration bounds the run, {@code duration} null when only the count does; {@code rate} 0 means closed loop;
 * {@code perConnection} 0 means a connection is reused for as long as the run lasts; {@code auth} is null or
 * {@code user:password}.
 */
public record LoadSettings(InetSocketAddress target, int sessions, long messages, Duration duration, double rate,
                           int perConnection, int recipients, SizeDistribution sizes, boolean pipelining,
                           boolean startTls, String auth, String from, String toDomain, String runId,
                           String ehloName, Duration timeout, int threads) {

    /** Open loop: messages are due at a fixed rate. */
    public boolean openLoop() {
        return rate > 0;
    }

    /** The recipient {@code i} of a message. */
    String recipient(int i) {
        return "bench" + i + "@" + toDomain;
    }
}
