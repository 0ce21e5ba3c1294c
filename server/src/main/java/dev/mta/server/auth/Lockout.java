package dev.mta.server.auth;

import java.time.Duration;

/**
 * How failed SMTP AUTH attempts lock a client address out: {@code maxFailures} within {@code window}, then refused
 * for {@code window} ({@code --auth-max-failures}, {@code --auth-lockout}).
 */
public record Lockout(int maxFailures, Duration window) {
    /** 5 failures within 10 minutes, then 10 minutes locked out. */
    public static final Lockout DEFAULT = new Lockout(AuthFailures.DEFAULT_LIMIT,
            Duration.ofNanos(AuthFailures.DEFAULT_WINDOW_NANOS));

    public Lockout {
        if (maxFailures < 1 || maxFailures > 1000) {
            throw new IllegalArgumentException("auth-max-failures must be from 1 to 1000, not " + maxFailures);
        }
        if (window.toSeconds() < 1 || window.toSeconds() > 86_400) {
            throw new IllegalArgumentException("auth-lockout must be from 1 to 86400 seconds, not " + window.toSeconds());
        }
    }

    /** A table of failures that applies this lockout. */
    public AuthFailures newTable() {
        return new AuthFailures(maxFailures, window.toNanos(), AuthFailures.DEFAULT_MAX_ENTRIES, System::nanoTime);
    }
}
