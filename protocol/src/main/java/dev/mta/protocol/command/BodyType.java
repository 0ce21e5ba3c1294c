package dev.mta.protocol.command;

/** The BODY parameter of MAIL (RFC 6152). */
public enum BodyType {
    SEVEN_BIT("7BIT"),
    EIGHT_BIT_MIME("8BITMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** The type for a BODY= value, ignoring case; null when unsupported (BINARYMIME needs CHUNKING). */
    public static BodyType of(String value) {
        for (BodyType t : values()) {
            if (t.keyword.equalsIgnoreCase(value)) {
                return t;
            }
        }
        return null;
    }
}
