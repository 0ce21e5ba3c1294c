package dev.mta.mailauth.dkim;

import java.nio.charset.StandardCharsets;

/**
 * One header field exactly as the message has it: the raw text from its name to the end of its last line, folding
 * included, without the final CRLF. Held as ISO-8859-1 text, one char per octet, so 8-bit (UTF-8) fields are kept
 * byte for byte; canonicalization works on those octets.
 */
public final class HeaderField {
    private final String raw;
    private final String name;

    private HeaderField(String raw) {
        this.raw = raw;
        int colon = raw.indexOf(':');
        String n = colon < 0 ? raw : raw.substring(0, colon);
        int end = n.length();
        while (end > 0 && (n.charAt(end - 1) == ' ' || n.charAt(end - 1) == '\t')) {
            end--; // obsolete syntax allows WSP before the colon (RFC 5322 4.5.8)
        }
        this.name = n.substring(0, end);
    }

    /** A field from its raw octets (no final CRLF). */
    public static HeaderField of(byte[] bytes, int offset, int length) {
        return new HeaderField(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
    }

    /** A field from text whose chars are its octets (ISO-8859-1; plain ASCII is that already); no final CRLF. */
    public static HeaderField of(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("not one char per octet; use ofUtf8: " + raw);
            }
        }
        return new HeaderField(raw);
    }

    /** A field from Unicode text, as its UTF-8 octets (no final CRLF). */
    public static HeaderField ofUtf8(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return of(b, 0, b.length);
    }

    /** The name as written, without WSP before the colon. */
    public String name() {
        return name;
    }

    /** The raw text, one char per octet. */
    public String raw() {
        return raw;
    }

    /** The raw octets, without the final CRLF. */
    public byte[] bytes() {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether this field is named {@code other}, in any case (ASCII). */
    public boolean hasName(String other) {
        return lowerName().equals(HeaderCanonicalizer.asciiLower(other));
    }

    String lowerName() {
        return HeaderCanonicalizer.asciiLower(name);
    }

    @Override
    public String toString() {
        return raw;
    }
}
