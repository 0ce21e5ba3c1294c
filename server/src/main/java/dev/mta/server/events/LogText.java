package dev.mta.server.events;

/**
 * Text a client chose (a user name, a header value), made safe for a log line: control characters (CR and LF
 * above all, which would start a forged line), DEL, C1 controls and Unicode line separators are written as
 * {@code \xNN} or {@code \\uNNNN}, and the text is cut at {@link #MAX} characters.
 */
public final class LogText {
    /** The longest client text a log line carries. */
    public static final int MAX = 256;

    private LogText() {
    }

    /** {@code text} escaped and bounded; "null" for null. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), MAX);
        StringBuilder sb = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\\';
            if (unsafe && sb == null) {
                sb = new StringBuilder(n + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (c == '\\') {
                    sb.append("\\\\");
                } else if (unsafe) {
                    sb.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        String out = sb == null ? text.substring(0, n) : sb.toString();
        return text.length() > MAX ? out + "..." : out;
    }
}
