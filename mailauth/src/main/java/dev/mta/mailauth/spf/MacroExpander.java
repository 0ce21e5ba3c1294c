package dev.mta.mailauth.spf;

import dev.mta.mailauth.spf.MacroString.Literal;
import dev.mta.mailauth.spf.MacroString.Macro;
import dev.mta.mailauth.spf.MacroString.Part;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Expands a parsed macro-string with one check's values (RFC 7208 7.3): transformers, delimiters, URL escaping. */
final class MacroExpander {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MacroExpander() {
    }

    static String expand(MacroString string, MacroValues values) {
        StringBuilder out = new StringBuilder();
        for (Part part : string.parts()) {
            if (part instanceof Literal l) {
                out.append(l.text());
            } else if (part instanceof Macro m) {
                String value = transform(values.value(m.letter()), m);
                out.append(m.urlEscape() ? urlEscape(value) : value);
            }
        }
        return out.toString();
    }

    /** Splits on the delimiters, reverses, keeps the right-hand parts and joins them with dots. */
    private static String transform(String value, Macro m) {
        if (m.rightParts() == 0 && !m.reverse() && m.delimiters().equals(".")) {
            return value;
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || m.delimiters().indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        if (m.reverse()) {
            Collections.reverse(parts);
        }
        if (m.rightParts() > 0 && m.rightParts() < parts.size()) {
            parts = parts.subList(parts.size() - m.rightParts(), parts.size());
        }
        return String.join(".", parts);
    }

    /** Every octet outside RFC 3986's unreserved set as %XX. */
    private static String urlEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
