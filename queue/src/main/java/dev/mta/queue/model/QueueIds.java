package dev.mta.queue.model;

/** Queue ids are 64-bit numbers shown as 16 upper-case hex digits (time in ms, then a counter). */
public final class QueueIds {
    private QueueIds() {
    }

    public static String format(long id) {
        String hex = Long.toHexString(id).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** Parses an id; throws IllegalArgumentException when it is not 1 to 16 hex digits. */
    public static long parse(String text) {
        if (text.isEmpty() || text.length() > 16) {
            throw new IllegalArgumentException("not a queue id: " + text);
        }
        return Long.parseUnsignedLong(text, 16);
    }
}
