package dev.mta.mailauth.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a DKIM-Signature field from its tags, folded so that lines stay within 78 characters where the values allow
 * (RFC 5322 2.1.1): tags separated by "; ", a line broken before a tag that would not fit, h= broken after a colon,
 * b= anywhere (FWS is allowed inside base64). The b= tag comes last, so the field can be laid out, hashed with an
 * empty b= and completed without moving anything else.
 */
final class SignatureLayout {
    static final int MAX_LINE = 78;
    static final String NAME = "DKIM-Signature:";
    private static final String FOLD = "\r\n ";

    /** A tag to write: its name and value exactly as they should appear. */
    record Tag(String name, String value) {
    }

    private SignatureLayout() {
    }

    /** The field, no final CRLF, with the given tags and a final empty "b=". */
    static String unsigned(List<Tag> tags) {
        StringBuilder out = new StringBuilder(NAME);
        int line = NAME.length();
        List<Tag> all = new ArrayList<>(tags);
        all.add(new Tag("b", ""));
        for (int i = 0; i < all.size(); i++) {
            Tag t = all.get(i);
            String text = t.name() + "=" + t.value() + (i == all.size() - 1 ? "" : ";");
            boolean first = true;
            for (String atom : atoms(t.name(), text)) {
                String separator = first ? " " : "";
                if (line + separator.length() + atom.length() > MAX_LINE && line > 1) {
                    out.append(FOLD);
                    line = 1;
                    separator = "";
                }
                out.append(separator).append(atom);
                line += separator.length() + atom.length();
                first = false;
            }
        }
        return out.toString();
    }

    /** The unsigned field completed with {@code b64} as b=, continued on new lines when the line is full. */
    static String withB(String unsigned, String b64) {
        StringBuilder out = new StringBuilder(unsigned.length() + b64.length() + 16).append(unsigned);
        int line = unsigned.length() - (unsigned.lastIndexOf('\n') + 1);
        for (int i = 0; i < b64.length(); i++) {
            if (line >= MAX_LINE) {
                out.append(FOLD);
                line = 1;
            }
            out.append(b64.charAt(i));
            line++;
        }
        return out.toString();
    }

    /** The pieces a tag may be broken between: h= after each colon, one piece for the others. */
    private static List<String> atoms(String name, String text) {
        if (!name.equals("h")) {
            return List.of(text);
        }
        List<String> atoms = new ArrayList<>();
        int start = 0;
        for (int colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', start)) {
            atoms.add(text.substring(start, colon + 1));
            start = colon + 1;
        }
        atoms.add(text.substring(start));
        return atoms;
    }
}
