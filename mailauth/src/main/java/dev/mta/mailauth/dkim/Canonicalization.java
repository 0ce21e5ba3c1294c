package dev.mta.mailauth.dkim;

import java.util.Optional;

/** A DKIM canonicalization algorithm (RFC 6376 3.4), for the header or the body. */
public enum Canonicalization {
    SIMPLE, RELAXED;

    /** The name in a c= tag. */
    public String keyword() {
        return this == SIMPLE ? "simple" : "relaxed";
    }

    /** The algorithm named {@code keyword} exactly as c= writes it, if it is one. */
    static Optional<Canonicalization> byKeyword(String keyword) {
        return switch (keyword) {
            case "simple" -> Optional.of(SIMPLE);
            case "relaxed" -> Optional.of(RELAXED);
            default -> Optional.empty();
        };
    }
}
