package dev.mta.mailauth.dmarc;

import java.util.Locale;
import java.util.Optional;

/** A Domain Owner Assessment Policy (RFC 9989 4.7, the values of p, sp and np). */
public enum Policy {
    NONE, QUARANTINE, REJECT;

    /** The policy's word, as in a record and in {@code policy.dmarc} of an Authentication-Results header. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy applied in test mode (t=y): one level lower, reject to quarantine, quarantine to none. */
    public Policy oneLevelLower() {
        return this == REJECT ? QUARANTINE : NONE;
    }

    /** The policy a tag value names, any case (ABNF literals are case-insensitive); empty if it names none. */
    static Optional<Policy> parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(NONE);
            case "quarantine" -> Optional.of(QUARANTINE);
            case "reject" -> Optional.of(REJECT);
            default -> Optional.empty();
        };
    }
}
