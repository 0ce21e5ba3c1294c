package dev.mta.protocol.command;

/** A path or parameter that does not follow the RFC 5321 grammar; the message says what is wrong. */
public final class PathSyntaxException extends Exception {
    private final boolean tooLong;

    public PathSyntaxException(String message) {
        this(message, false);
    }

    public PathSyntaxException(String message, boolean tooLong) {
        super(message, null, false, false);
        this.tooLong = tooLong;
    }

    /** True when the path broke a length limit of RFC 5321 4.5.3.1 rather than the grammar. */
    public boolean isTooLong() {
        return tooLong;
    }
}
