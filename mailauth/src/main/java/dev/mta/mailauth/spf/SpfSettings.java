package dev.mta.mailauth.spf;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SpfChecker} runs its checks.
 *
 * @param receiver           this host's name: the %{r} macro and the Received-SPF receiver
 * @param defaultExplanation the explanation of a fail whose record gives none (a macro-string, RFC 7208 6.2)
 * @param timeBudget         the longest a check may take, all its lookups together; past it the result is temperror
 *                           (RFC 7208 4.6.4 asks for at least 20 seconds)
 * @param clock              the time of the %{t} macro
 */
public record SpfSettings(String receiver, String defaultExplanation, Duration timeBudget, Clock clock) {
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(20);
    public static final String DEFAULT_EXPLANATION = "%{c} is not allowed to send mail from %{o}";

    public SpfSettings {
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(defaultExplanation, "defaultExplanation");
        Objects.requireNonNull(clock, "clock");
        if (Objects.requireNonNull(timeBudget, "timeBudget").isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("time budget " + timeBudget);
        }
    }

    /** The defaults for a receiver called {@code receiver}: 20 seconds, the system clock. */
    public static SpfSettings defaults(String receiver) {
        return new SpfSettings(receiver, DEFAULT_EXPLANATION, DEFAULT_TIME_BUDGET, Clock.systemUTC());
    }

    public SpfSettings withDefaultExplanation(String text) {
        return new SpfSettings(receiver, text, timeBudget, clock);
    }

    public SpfSettings withTimeBudget(Duration budget) {
        return new SpfSettings(receiver, defaultExplanation, budget, clock);
    }

    public SpfSettings withClock(Clock newClock) {
        return new SpfSettings(receiver, defaultExplanation, timeBudget, newClock);
    }
}
