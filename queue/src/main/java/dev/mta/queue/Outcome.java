package dev.mta.queue;

/** What one delivery attempt did for one recipient, as the relay reports it. */
public record Outcome(Kind kind, String detail) {
    /** The three results a recipient can have. */
    public enum Kind { DELIVERED, DEFERRED, FAILED }

    public static Outcome delivered(String detail) {
        return new Outcome(Kind.DELIVERED, detail);
    }

    public static Outcome deferred(String detail) {
        return new Outcome(Kind.DEFERRED, detail);
    }

    public static Outcome failed(String detail) {
        return new Outcome(Kind.FAILED, detail);
    }
}
