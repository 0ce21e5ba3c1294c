package dev.mta.server.config;

/** Range checks of configuration values; each failure names the option. */
final class Limits {
    private Limits() {
    }

    static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
        }
    }

    static void atMost(String key, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException(key + " must be at most " + max + ", not " + value);
        }
    }

    static void between(String key, long value, long min, long max) {
        atLeast(key, value, min);
        atMost(key, value, max);
    }
}
