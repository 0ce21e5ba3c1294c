package dev.mta.mailauth.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads DMARC Policy Records from TXT strings (RFC 9989 4.7, 4.8): v=DMARC1 must come first; unknown tags and syntax
 * errors in the rest are ignored in favour of defaults. RFC 7489 records are read too: rf and ri are ignored, pct=0
 * means t=y (RFC 9989 A.6) and other pct values mean nothing.
 */
public final class DmarcRecordParser {
    private static final String VERSION = "DMARC1";

    private DmarcRecordParser() {
    }

    /**
     * The one DMARC record among a name's TXT records: empty when there is none, or more than one (RFC 9989 4.10
     * step 2 discards them all).
     */
    public static Optional<DmarcRecord> select(List<String> txtRecords) {
        DmarcRecord found = null;
        for (String txt : txtRecords) {
            Optional<DmarcRecord> record = parse(txt);
            if (record.isPresent()) {
                if (found != null) {
                    return Optional.empty();
                }
                found = record.get();
            }
        }
        return Optional.ofNullable(found);
    }

    /** {@code txt} read as a DMARC record; empty if it does not start with v=DMARC1. */
    public static Optional<DmarcRecord> parse(String txt) {
        if (txt == null) {
            return Optional.empty();
        }
        String[] parts = txt.split(";", -1);
        if (!isVersionTag(parts[0])) {
            return Optional.empty();
        }
        Map<String, String> tags = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                continue; // an empty part after a trailing ";", or a syntax error: ignored
            }
            String name = trimWsp(parts[i].substring(0, eq));
            String value = trimWsp(parts[i].substring(eq + 1));
            if (isAlpha(name) && !value.isEmpty()) {
                // Tag names in any case (the witnesses agree); the first of a repeated tag wins.
                tags.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
            }
        }
        return Optional.of(record(tags));
    }

    private static DmarcRecord record(Map<String, String> tags) {
        Optional<Policy> p = policyTag(tags.get("p"));
        Optional<Policy> sp = policyTag(tags.get("sp"));
        Optional<Policy> np = policyTag(tags.get("np"));
        List<String> rua = uris(tags.get("rua"));
        List<String> ruf = uris(tags.get("ruf"));
        AlignmentMode adkim = mode(tags.get("adkim"));
        AlignmentMode aspf = mode(tags.get("aspf"));
        boolean testing = testing(tags.get("t"), tags.get("pct"));
        DmarcRecord.Psd psd = psd(tags.get("psd"));
        boolean policiesValid = p.isPresent() && (!tags.containsKey("sp") || sp.isPresent())
                && (!tags.containsKey("np") || np.isPresent());
        if (policiesValid) {
            return new DmarcRecord(true, p.get(), sp.orElse(null), np.orElse(null), adkim, aspf, testing, psd, rua,
                    ruf);
        }
        // RFC 9989 4.10.1: without a valid p (or with a bad sp/np) a record with a valid rua is read as "p=none";
        // one without applies no DMARC processing.
        return new DmarcRecord(!rua.isEmpty(), Policy.NONE, null, null, adkim, aspf, testing, psd, rua, ruf);
    }

    /** "v" *WSP "=" *WSP "DMARC1" *WSP: the version tag, first; its value case-sensitive (RFC 9989 4.7). */
    private static boolean isVersionTag(String first) {
        int eq = first.indexOf('=');
        if (eq < 0 || !trimTrailingWsp(first.substring(0, eq)).equalsIgnoreCase("v")) {
            return false;
        }
        return trimWsp(first.substring(eq + 1)).equals(VERSION);
    }

    private static Optional<Policy> policyTag(String value) {
        return value == null ? Optional.empty() : Policy.parse(value);
    }

    private static AlignmentMode mode(String value) {
        return "s".equalsIgnoreCase(value) ? AlignmentMode.STRICT : AlignmentMode.RELAXED;
    }

    private static DmarcRecord.Psd psd(String value) {
        if ("y".equalsIgnoreCase(value)) {
            return DmarcRecord.Psd.Y;
        }
        return "n".equalsIgnoreCase(value) ? DmarcRecord.Psd.N : DmarcRecord.Psd.U;
    }

    /** t=y or t=n decides; a bad or absent t leaves it to an RFC 7489 pct=0, the older way to ask for testing. */
    private static boolean testing(String t, String pct) {
        if ("y".equalsIgnoreCase(t)) {
            return true;
        }
        if ("n".equalsIgnoreCase(t)) {
            return false;
        }
        return pct != null && pct.chars().allMatch(c -> c == '0') && pct.length() <= 3;
    }

    /** The syntactically valid URIs of a comma-separated list, each without RFC 7489's obsolete "!size". */
    private static List<String> uris(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String item : value.split(",")) {
            String uri = trimWsp(item);
            int bang = uri.indexOf('!');
            if (bang >= 0) {
                uri = uri.substring(0, bang);
            }
            if (isUri(uri)) {
                out.add(uri);
            }
        }
        return out;
    }

    private static boolean isUri(String s) {
        try {
            URI uri = new URI(s);
            return uri.getScheme() != null && !uri.getSchemeSpecificPart().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isAlpha(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private static String trimWsp(String s) {
        int start = 0;
        while (start < s.length() && isWsp(s.charAt(start))) {
            start++;
        }
        return trimTrailingWsp(s.substring(start));
    }

    private static String trimTrailingWsp(String s) {
        int end = s.length();
        while (end > 0 && isWsp(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
