package dev.mta.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * The messages a run sends: per message a few headers with its unique {@code X-Bench-Id: RUNID-SEQ}, then a body of
 * CRLF lines (some starting with a dot) padded to the chosen size, dot-stuffed once per size and shared read-only.
 */
final class MessageContent implements AutoCloseable {
    /** Header bytes a message has besides its id and recipient, for the body's padding. */
    private static final int HEADER_ESTIMATE = 160;
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".getBytes(StandardCharsets.US_ASCII);

    private final String runId;
    private final String from;
    private final ByteBuf[] bodies;

    MessageContent(String runId, String from, int[] sizes) {
        this.runId = runId;
        this.from = from;
        this.bodies = new ByteBuf[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            byte[] wire = DotStuffing.stuff(plainBody(Math.max(2, sizes[i] - HEADER_ESTIMATE)));
            ByteBuf b = Unpooled.directBuffer(wire.length + 3);
            b.writeBytes(wire).writeBytes(new byte[] {'.', '\r', '\n'});
            bodies[i] = b;
        }
    }

    /** The id header's value for message {@code seq}. */
    static String benchId(String runId, long seq) {
        return runId + "-" + seq;
    }

    /** The header block of message {@code seq}, ending with the empty line; the caller writes and so releases it. */
    ByteBuf headers(ByteBufAllocator alloc, long seq, String firstRecipient) {
        String id = benchId(runId, seq);
        String h = "From: <" + from + ">\r\n"
                + "To: <" + firstRecipient + ">\r\n"
                + "Subject: mta-bench " + id + "\r\n"
                + "Message-ID: <" + id + "@mta-bench.invalid>\r\n"
                + "X-Bench-Id: " + id + "\r\n"
                + "\r\n";
        ByteBuf b = alloc.buffer(h.length());
        b.writeCharSequence(h, StandardCharsets.US_ASCII);
        return b;
    }

    /** The dot-stuffed body of size {@code index} with the final {@code .CRLF}, as a new reference to write. */
    ByteBuf body(int index) {
        return bodies[index].retainedDuplicate();
    }

    /** Plain (not yet stuffed) body text of exactly {@code n >= 2} bytes: CRLF lines of at most 78 characters. */
    static byte[] plainBody(int n) {
        byte[] out = new byte[n];
        int pos = 0;
        int line = 0;
        while (pos < n) {
            int remaining = n - pos;
            int len = Math.min(78, remaining - 2);
            if (remaining - (len + 2) == 1) {
                len--;
            }
            for (int i = 0; i < len; i++) {
                out[pos++] = i == 0 && line % 16 == 5 ? (byte) '.' : ALPHABET[(line + i) % ALPHABET.length];
            }
            out[pos++] = '\r';
            out[pos++] = '\n';
            line++;
        }
        return out;
    }

    @Override
    public void close() {
        for (ByteBuf b : bodies) {
            b.release();
        }
    }
}
