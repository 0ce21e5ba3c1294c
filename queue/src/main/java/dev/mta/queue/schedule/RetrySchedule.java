package dev.mta.queue.schedule;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a deferred recipient is tried again: a list of growing delays (the last one repeats), each with random
 * jitter so that a backlog does not retry in lock step, up to a maximum lifetime after arrival.
 */
public final class RetrySchedule {
    /** The default back-off, as --retry-delays writes it: 1 m, 5 m, 15 m, 1 h, 2 h, then every 4 h. */
    public static final String DEFAULT_DELAYS = "1m,5m,15m,1h,2h,4h";
    /** The default maximum lifetime, as --max-lifetime writes it: 5 days. */
    public static final String DEFAULT_MAX_LIFETIME = "5d";
    /** Each delay is spread by up to this share either way. */
    public static final double DEFAULT_JITTER = 0.1;
    /** The defaults above. */
    public static final RetrySchedule DEFAULT = new RetrySchedule(parseDelays(DEFAULT_DELAYS),
            parseDuration(DEFAULT_MAX_LIFETIME), DEFAULT_JITTER);

    private final long[] delays;
    private final long maxLifetime;
    private final double jitter;

    public RetrySchedule(List<Duration> delays, Duration maxLifetime, double jitter) {
        if (delays.isEmpty() || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("need at least one delay and a jitter in [0, 1)");
        }
        this.delays = delays.stream().mapToLong(Duration::toMillis).toArray();
        this.maxLifetime = maxLifetime.toMillis();
        this.jitter = jitter;
    }

    /** Parses "1m,5m,15m,1h" (units s, m, h, d). */
    public static List<Duration> parseDelays(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::strip).map(RetrySchedule::parseDuration).toList();
    }

    /** Parses one duration such as 90s, 5m, 4h or 5d. */
    public static Duration parseDuration(String s) {
        if (s.length() < 2) {
            throw new IllegalArgumentException("not a duration: " + s);
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        if (n < 0 || n > 100 * 365 * 86400L) {
            throw new IllegalArgumentException("not a duration of this world: " + s);
        }
        switch (s.charAt(s.length() - 1)) {
            case 's': return Duration.ofSeconds(n);
            case 'm': return Duration.ofMinutes(n);
            case 'h': return Duration.ofHours(n);
            case 'd': return Duration.ofDays(n);
            default: throw new IllegalArgumentException("not a duration (s, m, h, d): " + s);
        }
    }

    /**
     * The next attempt after the {@code attempts}-th failure (1 for the first), never past expiry: a recipient
     * whose next try would come after its message expires comes due at expiry, and is then failed.
     */
    public long nextAttempt(int attempts, long arrival, long now) {
        long base = delays[Math.min(Math.max(attempts, 1), delays.length) - 1];
        long spread = (long) (base * jitter);
        long delay = spread > 0 ? base - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1) : base;
        return Math.min(now + delay, expiry(arrival));
    }

    /** The delays, the last repeating, before jitter. */
    public List<Duration> delays() {
        return java.util.Arrays.stream(delays).mapToObj(Duration::ofMillis).toList();
    }

    public Duration maxLifetime() {
        return Duration.ofMillis(maxLifetime);
    }

    public long expiry(long arrival) {
        return arrival + maxLifetime;
    }

    public boolean isExpired(long arrival, long now) {
        return now >= expiry(arrival);
    }
}
