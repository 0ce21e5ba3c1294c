package dev.mta.mailauth.dkim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DKIM tag=value list (RFC 6376 3.2), the syntax of signatures and key records: tags separated by ";", an optional
 * ";" at the end, FWS allowed around names and values. Each tag keeps where its value lies in the text, so that a
 * signature's b= value can be cut out of the header exactly as received (RFC 6376 3.7).
 */
final class TagList {
    /** One tag: its value without the FWS around it, and the span from after "=" to before ";" or the end. */
    record Tag(String name, String value, int valueStart, int valueEnd) {
    }

    private final Map<String, Tag> tags;

    private TagList(Map<String, Tag> tags) {
        this.tags = tags;
    }

    /** Parses {@code text} from {@code from} on; spans are offsets into {@code text}. */
    static TagList parse(String text, int from) throws DkimSyntaxException {
        Map<String, Tag> tags = new LinkedHashMap<>();
        int start = from;
        while (start <= text.length()) {
            int end = text.indexOf(';', start);
            boolean last = end < 0;
            if (last) {
                end = text.length();
            }
            if (isBlank(text, start, end)) {
                // Only the spec after a final ";" (or an empty list) may be empty; dkimpy agrees.
                if (!last) {
                    throw new DkimSyntaxException("empty tag in tag list");
                }
            } else {
                Tag tag = tag(text, start, end);
                if (tags.putIfAbsent(tag.name(), tag) != null) {
                    throw new DkimSyntaxException("duplicate " + tag.name() + "= tag");
                }
            }
            start = end + 1;
        }
        return new TagList(tags);
    }

    static TagList parse(String text) throws DkimSyntaxException {
        return parse(text, 0);
    }

    private static Tag tag(String text, int start, int end) throws DkimSyntaxException {
        int eq = text.indexOf('=', start);
        if (eq < 0 || eq >= end) {
            throw new DkimSyntaxException("tag without '=': " + excerpt(text.substring(start, end)));
        }
        String name = trim(text, start, eq);
        if (!isTagName(name)) {
            throw new DkimSyntaxException("bad tag name: " + excerpt(name));
        }
        return new Tag(name, trim(text, eq + 1, end), eq + 1, end);
    }

    /** tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA / DIGIT / "_". */
    private static boolean isTagName(String name) {
        if (name.isEmpty() || !isAlpha(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isBlank(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!isFws(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String trim(String text, int start, int end) {
        while (start < end && isFws(text.charAt(start))) {
            start++;
        }
        while (end > start && isFws(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** {@code s} without any FWS in it: base64 values may be folded anywhere (RFC 6376 3.5, b= and bh=). */
    static String withoutFws(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isFws(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The items of a colon-separated value (h=, q=, and a key record's h=, s=, t=), each without FWS around it. */
    static List<String> colonList(String value) {
        List<String> items = new ArrayList<>();
        int start = 0;
        while (true) {
            int colon = value.indexOf(':', start);
            int end = colon < 0 ? value.length() : colon;
            items.add(trim(value, start, end));
            if (colon < 0) {
                return items;
            }
            start = colon + 1;
        }
    }

    private static String excerpt(String s) {
        return s.length() <= 40 ? s.strip() : s.substring(0, 40).strip() + "...";
    }

    Tag tag(String name) {
        return tags.get(name);
    }

    /** The value of tag {@code name}, or null when absent. */
    String get(String name) {
        Tag t = tags.get(name);
        return t == null ? null : t.value();
    }

    boolean has(String name) {
        return tags.containsKey(name);
    }
}
