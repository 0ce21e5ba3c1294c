package dev.mta.bench.sink;

import java.net.InetSocketAddress;

/**
 * What a {@link Sink} does: where it listens, which share of RCPTs and DATAs it refuses, its delays per phase, the
 * share of connections it drops, its one stall, and the seed of its randomness. Percentages are 0 to 100.
 *
 * @param listen          the address to listen on (port 0: any free port)
 * @param rcptTempFailPct share of RCPTs answered 451
 * @param rcptPermFailPct share of RCPTs answered 550
 * @param dataTempFailPct share of messages answered 451 at the end of data
 * @param dataPermFailPct share of messages answered 554 at the end of data
 * @param delayGreetingMs delay before the greeting
 * @param delayRcptMs     delay before each RCPT reply
 * @param delayDataMs     delay before the reply at the end of data
 * @param dropPct         share of connections closed at their first DATA command, unanswered
 * @param stallAfter      once this many messages are accepted, answer nothing for {@code stallForMs}; 0: never
 * @param stallForMs      how long the stall lasts
 * @param seed            seed of the fault and drop decisions
 * @param starttls        offer STARTTLS with a self-signed certificate
 * @param maxSize         the SIZE advertised; larger declared sizes are refused
 * @param threads         event loop threads (0: one per core)
 */
public record SinkSettings(InetSocketAddress listen, double rcptTempFailPct, double rcptPermFailPct,
                           double dataTempFailPct, double dataPermFailPct, long delayGreetingMs, long delayRcptMs,
                           long delayDataMs, double dropPct, long stallAfter, long stallForMs, long seed,
                           boolean starttls, long maxSize, int threads) {
    /** The largest SIZE advertised by default: 100 MiB. */
    public static final long DEFAULT_MAX_SIZE = 100L << 20;

    public SinkSettings {
        if (listen == null) {
            throw new IllegalArgumentException("a listen address is needed");
        }
        checkPct("rcpt-temp-fail", rcptTempFailPct);
        checkPct("rcpt-perm-fail", rcptPermFailPct);
        checkPct("data-temp-fail", dataTempFailPct);
        checkPct("data-perm-fail", dataPermFailPct);
        checkPct("drop-connections", dropPct);
        if (rcptTempFailPct + rcptPermFailPct > 100 || dataTempFailPct + dataPermFailPct > 100) {
            throw new IllegalArgumentException("temporary and permanent failure shares add up to more than 100%");
        }
        if (delayGreetingMs < 0 || delayRcptMs < 0 || delayDataMs < 0 || stallAfter < 0 || stallForMs < 0
                || maxSize <= 0 || threads < 0) {
            throw new IllegalArgumentException("delays, counts, sizes and threads may not be negative");
        }
    }

    /** A sink on {@code listen} that accepts everything at once. */
    public static SinkSettings acceptAll(InetSocketAddress listen) {
        return new SinkSettings(listen, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, false, DEFAULT_MAX_SIZE, 0);
    }

    public SinkSettings withRcptFailures(double tempPct, double permPct) {
        return new SinkSettings(listen, tempPct, permPct, dataTempFailPct, dataPermFailPct, delayGreetingMs,
                delayRcptMs, delayDataMs, dropPct, stallAfter, stallForMs, seed, starttls, maxSize, threads);
    }

    public SinkSettings withDataFailures(double tempPct, double permPct) {
        return new SinkSettings(listen, rcptTempFailPct, rcptPermFailPct, tempPct, permPct, delayGreetingMs,
                delayRcptMs, delayDataMs, dropPct, stallAfter, stallForMs, seed, starttls, maxSize, threads);
    }

    public SinkSettings withDelays(long greetingMs, long rcptMs, long dataMs) {
        return new SinkSettings(listen, rcptTempFailPct, rcptPermFailPct, dataTempFailPct, dataPermFailPct, greetingMs,
                rcptMs, dataMs, dropPct, stallAfter, stallForMs, seed, starttls, maxSize, threads);
    }

    public SinkSettings withDrops(double pct) {
        return new SinkSettings(listen, rcptTempFailPct, rcptPermFailPct, dataTempFailPct, dataPermFailPct,
                delayGreetingMs, delayRcptMs, delayDataMs, pct, stallAfter, stallForMs, seed, starttls, maxSize, threads);
    }

    public SinkSettings withStall(long afterMessages, long forMs) {
        return new SinkSettings(listen, rcptTempFailPct, rcptPermFailPct, dataTempFailPct, dataPermFailPct,
                delayGreetingMs, delayRcptMs, delayDataMs, dropPct, afterMessages, forMs, seed, starttls, maxSize,
                threads);
    }

    public SinkSettings withSeed(long newSeed) {
        return new SinkSettings(listen, rcptTempFailPct, rcptPermFailPct, dataTempFailPct, dataPermFailPct,
                delayGreetingMs, delayRcptMs, delayDataMs, dropPct, stallAfter, stallForMs, newSeed, starttls, maxSize,
                threads);
    }

    public SinkSettings withStarttls(boolean offer) {
        return new SinkSettings(listen, rcptTempFailPct, rcptPermFailPct, dataTempFailPct, dataPermFailPct,
                delayGreetingMs, delayRcptMs, delayDataMs, dropPct, stallAfter, stallForMs, seed, offer, maxSize,
                threads);
    }

    public SinkSettings withLimits(long newMaxSize, int newThreads) {
        return new SinkSettings(listen, rcptTempFailPct, rcptPermFailPct, dataTempFailPct, dataPermFailPct,
                delayGreetingMs, delayRcptMs, delayDataMs, dropPct, stallAfter, stallForMs, seed, starttls, newMaxSize,
                newThreads);
    }

    private static void checkPct(String name, double pct) {
        if (!(pct >= 0 && pct <= 100)) {
            throw new IllegalArgumentException(name + " must be a percentage from 0 to 100: " + pct);
        }
    }
}
