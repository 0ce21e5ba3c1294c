package dev.mta.relay.transport.smtp;

import java.time.Duration;

/**
 * How long the client waits (RFC 5321 4.5.3.2): connect, the 220 greeting, each command's reply (EHLO, MAIL,
 * RCPT, RSET, STARTTLS), the 354 after DATA, each stalled piece of the body (the "data block" timeout: the peer
 * takes no more of it), and the final reply after the terminating dot.
 */
public record ClientTimeouts(Duration connect, Duration greeting, Duration command, Duration dataInit,
                             Duration dataBlock, Duration dataDone) {
    /** RFC 5321 4.5.3.2's minimums in seconds (with 30 s to connect): the defaults, as the flags write them. */
    public static final long CONNECT_SECONDS = 30;
    public static final long GREETING_SECONDS = 300;
    public static final long COMMAND_SECONDS = 300;
    public static final long DATA_INIT_SECONDS = 120;
    public static final long DATA_BLOCK_SECONDS = 180;
    public static final long DATA_DONE_SECONDS = 600;

    /** RFC 5321's minimums, with a 30 s connect timeout. */
    public static final ClientTimeouts RFC_5321 = new ClientTimeouts(Duration.ofSeconds(CONNECT_SECONDS),
            Duration.ofSeconds(GREETING_SECONDS), Duration.ofSeconds(COMMAND_SECONDS),
            Duration.ofSeconds(DATA_INIT_SECONDS), Duration.ofSeconds(DATA_BLOCK_SECONDS),
            Duration.ofSeconds(DATA_DONE_SECONDS));

    public ClientTimeouts {
        for (Duration d : new Duration[]{connect, greeting, command, dataInit, dataBlock, dataDone}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("relay timeouts must be positive");
            }
        }
    }

    /** All timeouts set to one value (tests). */
    public static ClientTimeouts all(Duration d) {
        return new ClientTimeouts(d, d, d, d, d, d);
    }
}
