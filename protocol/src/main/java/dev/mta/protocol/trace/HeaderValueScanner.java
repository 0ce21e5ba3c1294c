package dev.mta.protocol.trace;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds one header's value while a message's content streams past: the Message-ID (RFC 5322 3.6.4) for the mail
 * log ({@link #messageId()}), or any other by name (the benchmark sink's X-Bench-Id). Fed each piece of content as
 * it arrives, it looks at the header section only, at most {@link #MAX_SCANNED} bytes of it, keeps at most
 * {@code maxValue} characters of the value, and stops at the first such header, the empty line that ends the
 * headers, or the bound, whichever comes first. Pieces are read in place, never consumed or copied.
 * One message, one thread.
 */
public final class HeaderValueScanner implements ByteProcessor {
    /** Header bytes looked at, at most: a header section longer than this is not searched further. */
    public static final int MAX_SCANNED = 64 * 1024;
    /** Characters of a Message-ID kept, at most (a longer one is cut, ending in "..."). */
    public static final int MAX_VALUE = 250;

    /** The header's name, lower case, with its colon. */
    private final byte[] name;
    private final int maxValue;

    /** Where the scan is on the current line. */
    private enum At { LINE_START, NAME, VALUE, OTHER_HEADER, DONE }

    private At at = At.LINE_START;
    /** Characters of the name matched on this line. */
    private int matched;
    /** A CR seen at the start of a line: an LF next ends the headers. */
    private boolean crAtLineStart;
    private int scanned;
    private StringBuilder value;
    private boolean valueCut;

    /** A scanner for the header {@code headerName} (any case), keeping at most {@code maxValue} characters. */
    public HeaderValueScanner(String headerName, int maxValue) {
        this.name = (headerName.toLowerCase(java.util.Locale.ROOT) + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.maxValue = maxValue;
    }

    /** A scanner for the Message-ID. */
    public static HeaderValueScanner messageId() {
        return new HeaderValueScanner("Message-ID", MAX_VALUE);
    }

    /** Looks at {@code content}'s readable bytes, leaving its indexes as they were. */
    public void scan(ByteBuf content) {
        if (at != At.DONE && content.isReadable()) {
            content.forEachByte(content.readerIndex(), content.readableBytes(), this);
        }
    }

    /** Looks at {@code length} bytes of {@code content} from {@code offset}. */
    public void scan(byte[] content, int offset, int length) {
        for (int i = offset; i < offset + length && at != At.DONE; i++) {
            process(content[i]);
        }
    }

    /** Whether more content can change nothing: the header, the end of the headers or the bound was met. */
    public boolean done() {
        return at == At.DONE;
    }

    /**
     * The header's value (its body, unfolded, trimmed: for a Message-ID normally {@code <id@domain>}), printable
     * ASCII only; null when the headers seen had none.
     */
    public String value() {
        if (value == null) {
            return null;
        }
        String v = value.toString().trim();
        if (v.isEmpty()) {
            return null;
        }
        return valueCut ? v + "..." : v;
    }

    @Override
    public boolean process(byte b) {
        if (++scanned > MAX_SCANNED) {
            at = At.DONE;
            return false;
        }
        switch (at) {
            case LINE_START:
                lineStart(b);
                break;
            case NAME:
                name(b);
                break;
            case VALUE:
                if (b == '\n') {
                    at = At.LINE_START; // a folded continuation may follow
                } else if (b != '\r') {
                    append(b);
                }
                break;
            case OTHER_HEADER:
                if (b == '\n') {
                    at = At.LINE_START;
                }
                break;
            default:
                return false;
        }
        return at != At.DONE;
    }

    private void lineStart(byte b) {
        boolean afterCr = crAtLineStart;
        crAtLineStart = false;
        if (b == '\n') {
            at = At.DONE; // an empty line: the end of the headers
            return;
        }
        if (afterCr) { // a CR not followed by LF at the start of a line: no header, no end; not ours to judge
            at = At.OTHER_HEADER;
            return;
        }
        if (b == '\r') {
            crAtLineStart = true;
            return;
        }
        if (b == ' ' || b == '\t') { // folding: the line continues the header before it
            if (value != null) {
                append((byte) ' ');
                at = At.VALUE;
            } else {
                at = At.OTHER_HEADER;
            }
            return;
        }
        if (value != null) {
            at = At.DONE; // the header has ended: the first one is the one
            return;
        }
        matched = 0;
        at = At.NAME;
        name(b);
    }

    private void name(byte b) {
        if (b == '\n') {
            at = At.LINE_START;
        } else if (lower(b) == name[matched]) {
            if (++matched == name.length) {
                value = new StringBuilder(64);
                at = At.VALUE;
            }
        } else {
            at = At.OTHER_HEADER;
        }
    }

    private void append(byte b) {
        if (value.length() == 0 && (b == ' ' || b == '\t')) {
            return; // the space after the colon, or before a folded value: not part of it
        }
        if (value.length() >= maxValue) {
            valueCut = true;
            return;
        }
        char c = (char) (b & 0xFF);
        value.append(c == '\t' ? ' ' : c < 0x20 || c > 0x7E ? '?' : c);
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }
}
