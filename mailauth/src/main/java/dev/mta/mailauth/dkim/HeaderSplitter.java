package dev.mta.mailauth.dkim;

import java.util.Arrays;
import java.util.List;

/**
 * Takes a message's first bytes as they stream in and keeps its header section (up to a bound), stopping at the
 * empty line that ends it, so that the rest of the stream can go straight to the body hashers. Chunks may split
 * the CRLFs anywhere.
 */
final class HeaderSplitter {
    private final int limit;
    private byte[] kept = new byte[2048];
    private int size;
    private boolean overflowed;
    /** Octets on the current line so far, a CR waiting for its LF not counted. */
    private long lineLength;
    private boolean afterCr;
    private boolean done;

    HeaderSplitter(int limit) {
        this.limit = limit;
    }

    /** Where the header section of {@code b[from, to)} ends (after its empty line), or -1 if it does not end there. */
    static int headerEnd(byte[] b, int from, int to) {
        HeaderSplitter scan = new HeaderSplitter(0);
        int n = scan.scan(b, from, to - from);
        return n < 0 ? -1 : from + n;
    }

    /**
     * Takes octets of {@code b[off, off + len)} up to the end of the header section and returns how many it took:
     * fewer than {@code len} when the body starts inside this chunk.
     */
    int offer(byte[] b, int off, int len) {
        if (done) {
            return 0;
        }
        int n = scan(b, off, len);
        int taken = n < 0 ? len : n;
        keep(b, off, taken);
        return taken;
    }

    /** Octets up to and including the empty line, or -1 if the section goes on past them. */
    private int scan(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            byte c = b[off + i];
            if (c == '\n' && afterCr) {
                if (lineLength == 0) {
                    done = true;
                    afterCr = false;
                    return i + 1;
                }
                lineLength = 0;
                afterCr = false;
            } else {
                if (afterCr) {
                    lineLength++; // a CR not followed by LF is part of the line
                }
                afterCr = c == '\r';
                if (!afterCr) {
                    lineLength++;
                }
            }
        }
        return -1;
    }

    private void keep(byte[] b, int off, int len) {
        int room = limit - size;
        if (len > room) {
            overflowed = true;
            len = room;
        }
        if (len <= 0) {
            return;
        }
        if (size + len > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(limit, Math.max(size + len, kept.length * 2)));
        }
        System.arraycopy(b, off, kept, size, len);
        size += len;
    }

    /** Whether the empty line ending the header section has been seen. */
    boolean done() {
        return done;
    }

    /** Whether the header section was longer than the bound (the fields kept are then only its start). */
    boolean overflowed() {
        return overflowed;
    }

    /** The fields kept; after an overflow the last, perhaps cut, one is left out. */
    List<HeaderField> fields() {
        List<HeaderField> fields = MessageHeaders.fields(kept, 0, size);
        if (overflowed && !fields.isEmpty()) {
            return fields.subList(0, fields.size() - 1);
        }
        return fields;
    }
}
