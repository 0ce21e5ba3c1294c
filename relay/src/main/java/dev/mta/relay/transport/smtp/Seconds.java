package dev.mta.relay.transport.smtp;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as error texts and logs give them: "600 s", "1.5 s". */
final class Seconds {
    private Seconds() {
    }

    static String text(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
