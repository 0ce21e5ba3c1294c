package dev.mta.mailauth.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * A message's header section split into fields, and the offset where its body starts (after the empty line; the
 * message's length when there is none). The message is CRLF lines; a line starting with SP or HTAB continues the
 * field before it.
 */
public record MessageHeaders(List<HeaderField> fields, int bodyStart) {
    public MessageHeaders {
        fields = List.copyOf(fields);
    }

    /** Splits a whole message. */
    public static MessageHeaders parse(byte[] message) {
        int end = HeaderSplitter.headerEnd(message, 0, message.length);
        if (end < 0) {
            return new MessageHeaders(fields(message, 0, message.length), message.length);
        }
        return new MessageHeaders(fields(message, 0, end), end);
    }

    /**
     * The fields in {@code bytes[from, to)}: a header section, with or without the empty line that ends it. A
     * continuation line before any field becomes a field of its own (a nameless one never matches a signed name).
     */
    public static List<HeaderField> fields(byte[] bytes, int from, int to) {
        List<HeaderField> fields = new ArrayList<>();
        int fieldStart = -1;
        int fieldEnd = -1;
        int pos = from;
        while (pos < to) {
            int lineEnd = crlf(bytes, pos, to);
            if (lineEnd == pos) {
                break; // the empty line: the header section ends
            }
            boolean continuation = bytes[pos] == ' ' || bytes[pos] == '\t';
            if (!continuation || fieldStart < 0) {
                if (fieldStart >= 0) {
                    fields.add(HeaderField.of(bytes, fieldStart, fieldEnd - fieldStart));
                }
                fieldStart = pos;
            }
            fieldEnd = lineEnd;
            pos = lineEnd + 2;
        }
        if (fieldStart >= 0) {
            fields.add(HeaderField.of(bytes, fieldStart, fieldEnd - fieldStart));
        }
        return fields;
    }

    /** Where the CRLF ending the line at {@code from} starts, or {@code to} if the line has none. */
    private static int crlf(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return to;
    }
}
