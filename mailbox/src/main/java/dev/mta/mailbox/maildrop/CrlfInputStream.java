package dev.mta.mailbox.maildrop;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A message file read with CRLF line ends, as POP3 sends it: each LF not preceded by a CR gets one (Maildir files
 * hold LF line ends), a CRLF already there is kept, and nothing else changes. The state is carried across reads.
 */
public final class CrlfInputStream extends FilterInputStream {
    private final byte[] buffer = new byte[8192];
    private boolean lastWasCr;
    /** A bare LF's CR filled the caller's last byte: the LF comes first in the next read. */
    private boolean lfPending;

    public CrlfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /** One read of the file, at most half of {@code len} (each octet read may become two). */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        if (lfPending) {
            b[off + n++] = '\n';
            lfPending = false;
            lastWasCr = false;
            if (n == len) {
                return n;
            }
        }
        int want = Math.min(buffer.length, Math.max(1, (len - n) / 2));
        int got = in.read(buffer, 0, want);
        if (got < 0) {
            return n == 0 ? -1 : n;
        }
        for (int i = 0; i < got; i++) {
            byte c = buffer[i];
            if (c == '\n' && !lastWasCr) {
                b[off + n++] = '\r';
                if (n == len) { // only with room for one octet, so this LF is the only octet read
                    lfPending = true;
                    lastWasCr = true;
                    break;
                }
            }
            b[off + n++] = c;
            lastWasCr = c == '\r';
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        return lfPending ? 1 : 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The size of a file's content read this way: its octets and one more for each LF without a CR before it. */
    public static long crlfSize(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        long size = 0;
        boolean cr = false;
        int r;
        while ((r = in.read(buf)) > 0) {
            size += r;
            for (int i = 0; i < r; i++) {
                if (buf[i] == '\n' && !cr) {
                    size++;
                }
                cr = buf[i] == '\r';
            }
        }
        return size;
    }
}
