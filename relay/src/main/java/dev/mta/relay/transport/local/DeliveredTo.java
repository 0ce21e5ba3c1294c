package dev.mta.relay.transport.local;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The addresses of a message's {@code Delivered-To:} headers, in lower case: where it has been delivered before. */
final class DeliveredTo {
    private static final String NAME = "Delivered-To:";

    private DeliveredTo() {
    }

    /** From a header section (CRLF lines). */
    static Set<String> in(String headers) {
        Set<String> out = new HashSet<>();
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, NAME, 0, NAME.length())) {
                String v = line.substring(NAME.length()).strip();
                if (v.startsWith("<") && v.endsWith(">")) {
                    v = v.substring(1, v.length() - 1);
                }
                out.add(v.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
