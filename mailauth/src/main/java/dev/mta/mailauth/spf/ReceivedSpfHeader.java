package dev.mta.mailauth.spf;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the Received-SPF header field of RFC 7208 9.1 for a result: the result, a comment saying it in words, and the
 * key-value pairs (client-ip, envelope-from, helo, receiver, identity, problem). Text from the client or the DNS is
 * reduced to printable ASCII and quoted, so nothing can break out of the field.
 */
public final class ReceivedSpfHeader {
    private static final int LINE = 78;
    private static final int MAX_PROBLEM = 200;

    private ReceivedSpfHeader() {
    }

    /** The header with its final CRLF, folded with tabs before a line would pass 78 characters. */
    public static String format(SpfResult r, String receiver) {
        List<String> pairs = new ArrayList<>();
        pairs.add("client-ip=" + value(IpAddresses.text(r.client())));
        pairs.add("envelope-from=" + value(r.sender()));
        if (!r.helo().isEmpty()) {
            pairs.add("helo=" + value(r.helo()));
        }
        pairs.add("receiver=" + value(receiver));
        pairs.add("identity=" + r.identity().keyword());
        r.problem().ifPresent(p -> pairs.add("problem=" + value(
                p.length() > MAX_PROBLEM ? p.substring(0, MAX_PROBLEM) : p)));

        StringBuilder out = new StringBuilder(256);
        out.append("Received-SPF: ").append(r.result().keyword()).append(' ')
                .append('(').append(commentText(receiver + ": " + comment(r))).append(')');
        int lineStart = 0;
        for (int i = 0; i < pairs.size(); i++) {
            String item = pairs.get(i) + (i < pairs.size() - 1 ? ";" : "");
            if (out.length() - lineStart + 1 + item.length() > LINE) {
                out.append("\r\n\t");
                lineStart = out.length() - 1;
            } else {
                out.append(' ');
            }
            out.append(item);
        }
        return out.append("\r\n").toString();
    }

    /** The comment's words, after libspf2's and pyspf's. */
    static String comment(SpfResult r) {
        String ip = IpAddresses.text(r.client());
        String sender = r.sender();
        return switch (r.result()) {
            case PASS -> "domain of " + sender + " designates " + ip + " as permitted sender";
            case FAIL -> "domain of " + sender + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> "domain of transitioning " + sender + " does not designate " + ip
                    + " as permitted sender";
            case NEUTRAL -> ip + " is neither permitted nor denied by domain of " + sender;
            case NONE -> "domain of " + sender + " does not designate permitted sender hosts";
            case TEMPERROR -> "error in processing during lookup of " + sender;
            default -> "permanent error in processing domain of " + sender;
        };
    }

    /** A dot-atom as it is, anything else as a quoted-string (RFC 5322 3.2.4). */
    static String value(String text) {
        String clean = printable(text);
        if (isDotAtom(clean)) {
            return clean;
        }
        StringBuilder q = new StringBuilder(clean.length() + 2).append('"');
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\');
            }
            q.append(c);
        }
        return q.append('"').toString();
    }

    /** Comment text (ctext and quoted-pairs): parentheses and backslashes escaped. */
    private static String commentText(String text) {
        String clean = printable(text);
        StringBuilder out = new StringBuilder(clean.length());
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Printable ASCII and spaces only: anything else (CR, LF, controls, non-ASCII) becomes "?". */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return out.toString();
    }

    private static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
            if (!atext) {
                return false;
            }
        }
        return true;
    }
}
