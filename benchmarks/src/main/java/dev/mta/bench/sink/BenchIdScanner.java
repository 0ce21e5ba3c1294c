package dev.mta.bench.sink;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;

/**
 * Finds a message's {@code X-Bench-Id:} header as its content streams past: the header section only, at most
 * {@link #MAX_SCANNED} bytes of it, read in place. The value is the rest of that header's first line, trimmed, at
 * most {@link #MAX_VALUE} characters. One message, one thread.
 */
final class BenchIdScanner implements ByteProcessor {
    static final int MAX_SCANNED = 64 * 1024;
    static final int MAX_VALUE = 200;
    private static final byte[] NAME = "x-bench-id:".getBytes(StandardCharsets.US_ASCII);

    private enum At { LINE_START, NAME, VALUE, OTHER, DONE }

    private At at = At.LINE_START;
    private int matched;
    private int scanned;
    private boolean crAtLineStart;
    private StringBuilder value;

    /** Looks at {@code content}'s readable bytes, leaving its indexes as they were. */
    void scan(ByteBuf content) {
        if (at != At.DONE && content.isReadable()) {
            content.forEachByte(content.readerIndex(), content.readableBytes(), this);
        }
    }

    /** The id, or null when the headers had none. */
    String id() {
        if (value == null) {
            return null;
        }
        String v = value.toString().trim();
        return v.isEmpty() ? null : v;
    }

    @Override
    public boolean process(byte b) {
        if (++scanned > MAX_SCANNED) {
            at = At.DONE;
            return false;
        }
        switch (at) {
            case LINE_START -> lineStart(b);
            case NAME -> name(b);
            case VALUE -> {
                if (b == '\r' || b == '\n') {
                    at = At.DONE; // the first X-Bench-Id is the one
                } else if (value.length() < MAX_VALUE) {
                    value.append((char) (b & 0xFF));
                }
            }
            case OTHER -> {
                if (b == '\n') {
                    at = At.LINE_START;
                }
            }
            default -> {
                return false;
            }
        }
        return at != At.DONE;
    }

    private void lineStart(byte b) {
        boolean afterCr = crAtLineStart;
        crAtLineStart = false;
        if (b == '\n') {
            at = At.DONE; // the empty line: the end of the headers
        } else if (afterCr) {
            at = At.OTHER;
        } else if (b == '\r') {
            crAtLineStart = true;
        } else {
            matched = 0;
            at = At.NAME;
            name(b);
        }
    }

    private void name(byte b) {
        byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
        if (b == '\n') {
            at = At.LINE_START;
        } else if (lower == NAME[matched]) {
            if (++matched == NAME.length) {
                value = new StringBuilder(40);
                at = At.VALUE;
            }
        } else {
            at = At.OTHER;
        }
    }
}
