package dev.mta.relay.verify;

import java.time.Duration;

/**
 * How recipients are verified by call-ahead.
 *
 * @param sender      the MAIL FROM of the probes, an address ("" for the null sender &lt;&gt;)
 * @param positiveTtl how long an accepted recipient is remembered
 * @param negativeTtl how long a rejected recipient is remembered
 * @param maxEntries  answers remembered at most; past it the least recently used are forgotten
 */
public record VerifySettings(String sender, Duration positiveTtl, Duration negativeTtl, int maxEntries) {
    /** As Postfix's address_verify_sender: some sites refuse probes from {@code <>}. */
    public static final String DEFAULT_SENDER_LOCAL_PART = "double-bounce";
    public static final long DEFAULT_POSITIVE_TTL_SECONDS = 24 * 3600;
    public static final long DEFAULT_NEGATIVE_TTL_SECONDS = 3600;
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    public VerifySettings {
        if (sender == null || sender.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c >= 127)) {
            throw new IllegalArgumentException("verify-sender must be an address without spaces or angle brackets: " + sender);
        }
        if (!sender.isEmpty() && sender.indexOf('@') <= 0) {
            throw new IllegalArgumentException("verify-sender must be local@domain or empty: " + sender);
        }
        for (Duration d : new Duration[]{positiveTtl, negativeTtl}) {
            if (d.isNegative() || d.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException("verify-positive-ttl and verify-negative-ttl must be from 0 to 365d");
            }
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the verification cache needs room for at least one answer");
        }
    }

    /** The defaults for a server named {@code hostname}: double-bounce@hostname, a day, an hour. */
    public static VerifySettings defaults(String hostname) {
        return new VerifySettings(DEFAULT_SENDER_LOCAL_PART + "@" + hostname, Duration.ofSeconds(DEFAULT_POSITIVE_TTL_SECONDS),
                Duration.ofSeconds(DEFAULT_NEGATIVE_TTL_SECONDS), DEFAULT_MAX_ENTRIES);
    }
}
