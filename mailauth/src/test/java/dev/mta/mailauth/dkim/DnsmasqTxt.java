package dev.mta.mailauth.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * A TXT record as dnsmasq's --txt-record option: the name, then the text as character-strings of at most 255
 * octets, comma-separated (RFC 1035 3.3.14; a DKIM verifier joins them, RFC 6376 3.6.2.2). dnsmasq 2.90 would split
 * a longer string itself, older ones refuse it: the splitting is done here so that it does not depend on the
 * version. The text itself may hold no comma, which dnsmasq would read as a string boundary.
 */
final class DnsmasqTxt {
    static final int MAX_STRING = 255;

    private DnsmasqTxt() {
    }

    static String option(String name, String text) {
        return "--txt-record=" + name + "," + String.join(",", strings(text));
    }

    static List<String> strings(String text) {
        if (text.contains(",") || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' ')) {
            throw new IllegalArgumentException("not a TXT text dnsmasq takes as given: " + text);
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < text.length(); i += MAX_STRING) {
            strings.add(text.substring(i, Math.min(text.length(), i + MAX_STRING)));
        }
        return strings;
    }
}
