package dev.mta.relay.client;

import java.time.Duration;

/**
 * How long the client waits for each reply (RFC 5321 4.5.3.2): connect, the 220 greeting, EHLO/MAIL/RCPT,
 * the 354 after DATA, and the final reply after the terminating dot.
 */
public record ClientTimeouts(Duration connect, Duration greeting, Duration command, Duration dataStart,
                             Duration dataEnd) {
    /** RFC 5321's values, with a 30 s connect timeout. */
    public static final ClientTimeouts RFC_5321 = new ClientTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(10));

    /** All reply timeouts set to one value (tests). */
    public static ClientTimeouts all(Duration d) {
        return new ClientTimeouts(d, d, d, d, d);
    }
}
