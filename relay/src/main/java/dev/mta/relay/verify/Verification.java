package dev.mta.relay.verify;

/**
 * What the next hop said of a recipient when asked (call-ahead): it takes it, it refuses it for good, or nothing
 * could be learned now (a 4xx, a timeout, no connection, DNS trouble).
 *
 * @param kind the answer
 * @param code the next hop's reply code to RCPT; 0 when the answer is not its reply (a problem met here)
 * @param text the next hop's reply text (printable ASCII, at most {@link #MAX_TEXT} characters), or what went wrong
 */
public record Verification(Kind kind, int code, String text) {
    /** The longest text kept: enough for a status and a reason, short enough to echo in a reply. */
    public static final int MAX_TEXT = 200;

    public enum Kind {
        /** The next hop said 2xx to RCPT. */
        ACCEPTED,
        /** The next hop said 5xx to RCPT: the recipient does not exist (or is refused) there. */
        REJECTED,
        /** Nothing could be learned now; ask again later. Never cached. */
        TEMPORARY
    }

    public Verification {
        text = printable(text == null ? "" : text);
    }

    /** The answer to a reply {@code code} with {@code text}: 2xx accepted, 5xx rejected, anything else temporary. */
    public static Verification ofReply(int code, String text) {
        Kind kind = code >= 200 && code < 300 ? Kind.ACCEPTED : code >= 500 && code < 600 ? Kind.REJECTED : Kind.TEMPORARY;
        return new Verification(kind, code, text);
    }

    /** Nothing learned: {@code why}. */
    public static Verification temporary(String why) {
        return new Verification(Kind.TEMPORARY, 0, why);
    }

    /** Controls become spaces, anything outside printable ASCII '?', cut at {@link #MAX_TEXT}: safe in a reply and a log. */
    static String printable(String s) {
        int n = Math.min(s.length(), MAX_TEXT);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            sb.append(c < ' ' ? ' ' : c > '~' ? '?' : c);
        }
        return sb.toString().strip();
    }
}
