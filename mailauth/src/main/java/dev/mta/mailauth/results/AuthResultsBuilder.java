package dev.mta.mailauth.results;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes an Authentication-Results header field (RFC 8601): our authserv-id, then each method's result, or "none"
 * when there is no result. Folded with tabs: each result on a line of its own, broken between its parts when longer
 * than 78 characters. Free text (comments, reasons) is cut to {@value #MAX_TEXT} characters so that no line nears the
 * 998-octet limit of RFC 5322.
 */
public final class AuthResultsBuilder {
    public static final String FIELD_NAME = "Authentication-Results";
    static final int MAX_TEXT = 200;
    private static final int LINE = 78;
    private static final String FOLD = "\r\n\t";

    private final String authservId;
    private final List<MethodResult> results = new ArrayList<>();

    /** A header for the authentication service {@code authservId}, normally this host's name. */
    public AuthResultsBuilder(String authservId) {
        this.authservId = ResultValues.tokenOrQuoted(authservId);
    }

    public AuthResultsBuilder add(MethodResult result) {
        results.add(result);
        return this;
    }

    /** The whole field, {@code Authentication-Results: ...}, folded, with its final CRLF. */
    public String field() {
        return FIELD_NAME + ": " + value() + "\r\n";
    }

    /** The field's value, folded, without the final CRLF. */
    public String value() {
        if (results.isEmpty()) {
            return authservId + "; none";
        }
        StringBuilder out = new StringBuilder(authservId).append(';');
        for (int i = 0; i < results.size(); i++) {
            out.append(FOLD);
            int lineLength = 1; // the tab
            List<String> parts = parts(results.get(i));
            for (int p = 0; p < parts.size(); p++) {
                String part = parts.get(p) + (p == parts.size() - 1 && i < results.size() - 1 ? ";" : "");
                if (p > 0 && lineLength + 1 + part.length() > LINE) {
                    out.append(FOLD);
                    lineLength = 1;
                } else if (p > 0) {
                    out.append(' ');
                    lineLength++;
                }
                out.append(part);
                lineLength += part.length();
            }
        }
        return out.toString();
    }

    /** The pieces of one resinfo, each kept whole on a line. */
    private static List<String> parts(MethodResult r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.method() + "=" + r.result().keyword());
        if (!r.comment().isEmpty()) {
            parts.add(ResultValues.comment(cut(r.comment())));
        }
        if (!r.reason().isEmpty()) {
            parts.add("reason=" + ResultValues.tokenOrQuoted(cut(r.reason())));
        }
        // Quoted values go last: some readers (Python's authres) take a quoted-string only at a result's end.
        List<String> quoted = new ArrayList<>();
        for (ResultProperty p : r.properties()) {
            String part = p.type() + "." + p.property() + "=" + ResultValues.value(p.value());
            (ResultValues.needsQuotes(p.value()) ? quoted : parts).add(part);
        }
        parts.addAll(quoted);
        return parts;
    }

    private static String cut(String text) {
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }
}
