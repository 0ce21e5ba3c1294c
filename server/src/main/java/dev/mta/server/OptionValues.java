package dev.mta.server;

import java.time.Duration;
import java.util.function.Supplier;

/** Checks and converts option values; each error is an IllegalArgumentException naming the option's key. */
final class OptionValues {
    private static final long MAX_SECONDS = 86_400;

    private OptionValues() {
    }

    /** A value parsed from one option's text, its errors naming the option. */
    static <T> T parsed(String key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** A timeout in seconds: at least one, at most a day (larger values overflow the timers' arithmetic). */
    static Duration seconds(String key, long value) {
        if (value < 1 || value > MAX_SECONDS) {
            throw new IllegalArgumentException(key + " must be from 1 to " + MAX_SECONDS + " seconds, not " + value);
        }
        return Duration.ofSeconds(value);
    }

    /** The shutdown grace: from 0 to an hour. */
    static Duration grace(long value) {
        if (value < 0 || value > 3600) {
            throw new IllegalArgumentException("shutdown-grace must be from 0 to 3600 seconds, not " + value);
        }
        return Duration.ofSeconds(value);
    }
}
