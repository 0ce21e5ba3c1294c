package dev.mta.server.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The zone-file line that publishes a TXT record: {@code name. IN TXT ( "..." "..." )}, its text cut into RFC 1035
 * character-strings of at most 255 octets (a 2048-bit RSA key's record is some 410), which resolvers and DKIM
 * verifiers join again with nothing between them (RFC 6376 3.6.2.2).
 */
final class ZoneRecord {
    /** The most octets one character-string holds: its length is one octet. */
    static final int MAX_STRING = 255;

    private ZoneRecord() {
    }

    /** {@code text} in pieces of at most {@link #MAX_STRING} octets of UTF-8, never cutting a character in two. */
    static List<String> strings(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int octets = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + n > MAX_STRING) {
                out.add(text.substring(start, i));
                start = i;
                octets = 0;
            }
            octets += n;
            i += Character.charCount(cp);
        }
        out.add(text.substring(start));
        return out;
    }

    /** The line for record {@code name} (absolute, written without its final dot) holding {@code text}. */
    static String line(String name, String text) {
        StringBuilder b = new StringBuilder(name).append(". IN TXT (");
        for (String s : strings(text)) {
            b.append(" \"");
            // Zone-file quoting (RFC 1035 5.1): a quote or backslash in the text is escaped. A key record has none.
            s.codePoints().forEach(c -> {
                if (c == '"' || c == '\\') {
                    b.append('\\');
                }
                b.appendCodePoint(c);
            });
            b.append('"');
        }
        return b.append(" )").toString();
    }
}
