package dev.mta.protocol.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The ESMTP parameters of a MAIL or RCPT command (RFC 5321 4.1.2), keywords upper-cased, in the order sent. */
public final class EsmtpParameters {
    /** No parameters. */
    public static final EsmtpParameters NONE = new EsmtpParameters(Collections.emptyMap());

    private final Map<String, String> values;

    private EsmtpParameters(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code esmtp-param *(SP esmtp-param)}; runs of spaces are tolerated as real clients send them.
     * A keyword without "=" maps to null.
     */
    public static EsmtpParameters parse(String text) throws PathSyntaxException {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return NONE;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String param : trimmed.split(" +")) {
            int eq = param.indexOf('=');
            String keyword = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? null : param.substring(eq + 1);
            if (!isKeyword(keyword)) {
                throw new PathSyntaxException("invalid parameter keyword");
            }
            if (value != null && !isValue(value)) {
                throw new PathSyntaxException("invalid value for parameter " + keyword.toUpperCase(Locale.ROOT));
            }
            if (map.put(keyword.toUpperCase(Locale.ROOT), value) != null || map.size() > 32) {
                throw new PathSyntaxException("duplicate or too many parameters");
            }
        }
        return new EsmtpParameters(Collections.unmodifiableMap(map));
    }

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    private static boolean isKeyword(String k) {
        if (k.isEmpty() || k.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    // esmtp-value = 1*(%d33-60 / %d62-126), plus UTF8-non-ascii (RFC 6531)
    private static boolean isValue(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x80 && (c < 33 || c > 126 || c == '=')) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public boolean has(String keyword) {
        return values.containsKey(keyword);
    }

    /** The value of an upper-case keyword, null when absent or given without a value. */
    public String get(String keyword) {
        return values.get(keyword);
    }

    /** All parameters, keyword to value (null for none). */
    public Map<String, String> asMap() {
        return values;
    }

    /** The parameters as sent on a MAIL or RCPT line: "SIZE=10 BODY=8BITMIME". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey());
            if (e.getValue() != null) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }
}
