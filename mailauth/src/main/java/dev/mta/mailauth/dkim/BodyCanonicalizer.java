package dev.mta.mailauth.dkim;

/**
 * Body canonicalization, simple and relaxed (RFC 6376 3.4.3, 3.4.4), as a state machine fed chunks split anywhere
 * (a CRLF may straddle two). Empty lines are held back until a line with content follows, so the empty lines at the
 * end of the body are never written; the output goes out in blocks through a {@link Sink}.
 */
final class BodyCanonicalizer {
    /** Where canonical octets go. */
    interface Sink {
        void write(byte[] b, int off, int len);
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final boolean relaxed;
    private final Sink sink;
    private final byte[] out = new byte[4096];
    private int outSize;
    /** A CR was the last octet: whether it ends a line depends on the next. */
    private boolean pendingCr;
    /** The current line has content written (or, in relaxed, about to be). */
    private boolean lineHasContent;
    /** Relaxed: WSP seen since the last content; becomes one SP if content follows on the line. */
    private boolean pendingWsp;
    /** Empty lines held back. */
    private long emptyLines;
    private boolean wroteAnything;
    private boolean finished;

    BodyCanonicalizer(Canonicalization c, Sink sink) {
        this.relaxed = c == Canonicalization.RELAXED;
        this.sink = sink;
    }

    void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                if (c == LF) {
                    endLine();
                    continue;
                }
                content(CR); // a CR not followed by LF is part of the line
            }
            if (c == CR) {
                pendingCr = true;
            } else if (relaxed && (c == ' ' || c == '\t')) {
                pendingWsp = true;
            } else {
                content(c);
            }
        }
    }

    /** Ends the body: a last line without CRLF gets one; simple turns an empty body into one CRLF. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (pendingCr) {
            pendingCr = false;
            content(CR);
        }
        if (lineHasContent) {
            put(CR);
            put(LF);
        }
        if (!relaxed && !wroteAnything) {
            put(CR);
            put(LF);
        }
        flush();
    }

    private void content(byte c) {
        if (!lineHasContent) {
            for (; emptyLines > 0; emptyLines--) {
                put(CR);
                put(LF);
            }
            lineHasContent = true;
        }
        if (pendingWsp) {
            put((byte) ' ');
            pendingWsp = false;
        }
        put(c);
    }

    private void endLine() {
        pendingWsp = false; // relaxed drops WSP at the end of a line
        if (lineHasContent) {
            put(CR);
            put(LF);
            lineHasContent = false;
        } else {
            emptyLines++;
        }
    }

    private void put(byte c) {
        if (outSize == out.length) {
            flush();
        }
        out[outSize++] = c;
        wroteAnything = true;
    }

    private void flush() {
        if (outSize > 0) {
            sink.write(out, 0, outSize);
            outSize = 0;
        }
    }
}
