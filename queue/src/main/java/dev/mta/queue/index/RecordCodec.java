package dev.mta.queue.index;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.RecipientState;
import dev.mta.queue.log.Location;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.mta.queue.index.RecordValues.readOutcome;
import static dev.mta.queue.index.RecordValues.readParameters;
import static dev.mta.queue.index.RecordValues.readPath;
import static dev.mta.queue.index.RecordValues.readString;
import static dev.mta.queue.index.RecordValues.writeOutcome;
import static dev.mta.queue.index.RecordValues.writePath;
import static dev.mta.queue.index.RecordValues.writeString;

/**
 * Payload layouts of the queue's records, format 4 (all big-endian; strings are an int length and UTF-8 bytes; a
 * path is its local part and its domain; an outcome is a presence byte, then kind, status class, subject and
 * detail, reply code, remote host, remote address, remote port and text):
 * <pre>
 * MESSAGE: id, arrival, sender path, declared size, body type, smtputf8, client, helo, protocol,
 *          rcpt count, per rcpt (path, state byte, attempts, next attempt, last outcome),
 *          chunk count, per chunk (segment, offset, length), content length (header prefix included),
 *          inline length, inline bytes, and only when there is a header prefix: prefix length, prefix bytes
 * STATE:   id, count, per change (rcpt index, state byte, attempts, next attempt, last outcome)
 * REMOVE:  id
 * HOLD:    id         (new in format 3: the operator holds the message)
 * RELEASE: id         (new in format 3: the operator releases it)
 * CHUNK:   id, body bytes
 * </pre>
 * Format 4 added the header prefix (header fields put above the content at commit: {@code IncomingMessage.commit});
 * the stored message is the prefix, then the chunks, then the inline bytes. A MESSAGE without one is laid out
 * exactly as in format 3, which is read by the same code (it never has the trailing part). Relocation restates a
 * message's whole content, prefix included, as chunks, so a relocated copy has no prefix of its own.
 * Formats 1 and 2 held the same records with text where format 3 has typed values (addresses, the MAIL parameters
 * as sent, the last error as one line): {@link LegacyRecords} reads them.
 */
public final class RecordCodec {
    /** The payload format written (the segments' format). */
    public static final int FORMAT = 4;
    /** The first format of typed values; older ones are read by {@link LegacyRecords}. */
    static final int TYPED = 3;
    /** The first format whose MESSAGE records may carry a header prefix. */
    static final int PREFIXED = 4;

    private RecordCodec() {
    }

    /**
     * A new message's MESSAGE record. {@code contentLength} counts the prefix, the chunks and the inline bytes;
     * {@code prefix} (complete header fields, possibly empty) is written after the inline bytes, and nothing at all
     * when it is empty. The buffers are not released.
     */
    public static ByteBuf encodeMessage(ByteBufAllocator alloc, long id, long arrival, Envelope e, List<Location> chunks,
                                 long contentLength, List<ByteBuf> inline, int inlineLength, ByteBuf prefix) {
        ByteBuf head = alloc.heapBuffer(256 + 64 * e.recipients().size() + 20 * chunks.size());
        writeEnvelopeHead(head, id, arrival, e);
        head.writeInt(e.recipients().size());
        for (MailPath r : e.recipients()) {
            writePath(head, r);
            head.writeByte(RecipientState.PENDING.ordinal()).writeInt(0).writeLong(0L);
            writeOutcome(head, null);
        }
        writeChunks(head, chunks);
        head.writeLong(contentLength).writeInt(inlineLength);
        CompositeByteBuf all = alloc.compositeBuffer(inline.size() + 3);
        all.addComponent(true, head);
        for (ByteBuf b : inline) {
            all.addComponent(true, b.retainedDuplicate());
        }
        if (prefix.isReadable()) {
            all.addComponent(true, alloc.heapBuffer(4).writeInt(prefix.readableBytes()));
            all.addComponent(true, prefix.retainedDuplicate());
        }
        return all;
    }

    /**
     * A MESSAGE record restating a live message as it was when {@code r} was taken (states included), for
     * relocation; the body lies wholly in {@code chunks}. Whether it was held is restated by a HOLD record after it.
     */
    public static ByteBuf encodeRelocated(ByteBufAllocator alloc, Relocation r, Envelope e, List<Location> chunks) {
        QueuedMessage m = r.message;
        ByteBuf b = alloc.heapBuffer(256 + 96 * m.recipients.length + 20 * chunks.size());
        writeEnvelopeHead(b, m.id, m.arrival, e);
        b.writeInt(m.recipients.length);
        for (int i = 0; i < m.recipients.length; i++) {
            writePath(b, m.recipients[i]);
            b.writeByte(r.states[i]).writeInt(r.attempts[i]).writeLong(r.nextAttempt[i]);
            writeOutcome(b, r.outcomes == null ? null : r.outcomes[i]);
        }
        writeChunks(b, chunks);
        b.writeLong(m.bodyLength).writeInt(0);
        return b;
    }

    private static void writeEnvelopeHead(ByteBuf b, long id, long arrival, Envelope e) {
        b.writeLong(id).writeLong(arrival);
        writePath(b, e.sender());
        MailParameters p = e.parameters();
        b.writeLong(p.declaredSize()).writeByte(p.body().ordinal()).writeBoolean(p.smtputf8());
        writeString(b, e.clientAddress());
        writeString(b, e.heloName());
        writeString(b, e.protocol());
    }

    private static void writeChunks(ByteBuf b, List<Location> chunks) {
        b.writeInt(chunks.size());
        for (Location c : chunks) {
            b.writeLong(c.segment()).writeLong(c.offset()).writeInt(c.length());
        }
    }

    /** Decodes a MESSAGE record found at {@code where}, written in {@code format}. */
    static QueuedMessage decodeMessage(ByteBuf p, Location where, int format) {
        if (format < TYPED) {
            return LegacyRecords.decodeMessage(p, where);
        }
        int start = p.readerIndex();
        long id = p.readLong();
        long arrival = p.readLong();
        MailPath sender = readPath(p);
        MailParameters params = readParameters(p);
        readString(p); // client, helo and protocol live in the Received header; the index does not keep them
        readString(p);
        readString(p);
        int n = p.readInt();
        MailPath[] rcpts = new MailPath[n];
        byte[] states = new byte[n];
        int[] attempts = new int[n];
        long[] next = new long[n];
        Outcome[] outcomes = null;
        for (int i = 0; i < n; i++) {
            rcpts[i] = readPath(p);
            states[i] = p.readByte();
            attempts[i] = p.readInt();
            next[i] = p.readLong();
            Outcome o = readOutcome(p);
            if (o != null) {
                if (outcomes == null) {
                    outcomes = new Outcome[n];
                }
                outcomes[i] = o;
            }
        }
        long[] chunks = readChunks(p);
        long contentLength = p.readLong();
        int inlineLength = p.readInt();
        int inlineOffset = p.readerIndex() - start;
        int prefixLength = format >= PREFIXED ? readPrefixLength(p, inlineLength) : 0;
        return new QueuedMessage(id, arrival, sender, params, rcpts, states, attempts, next, outcomes, chunks, where,
                inlineOffset, inlineLength, contentLength, prefixLength);
    }

    /** The length of the header prefix after the inline bytes, 0 when there is none; checks it fills the record. */
    private static int readPrefixLength(ByteBuf p, int inlineLength) {
        int after = p.readableBytes() - inlineLength;
        if (after == 0) {
            return 0;
        }
        int n = after >= 4 ? p.getInt(p.readerIndex() + inlineLength) : -1;
        if (n <= 0 || n != after - 4) {
            throw new IllegalArgumentException("a MESSAGE record's header prefix does not fill its end");
        }
        return n;
    }

    static long[] readChunks(ByteBuf p) {
        int c = p.readInt();
        long[] chunks = new long[c * 3];
        for (int i = 0; i < c; i++) {
            chunks[i * 3] = p.readLong();
            chunks[i * 3 + 1] = p.readLong();
            chunks[i * 3 + 2] = p.readInt();
        }
        return chunks;
    }

    /** The index entry of a message just written, built from what was encoded rather than by reading it back. */
    public static QueuedMessage newMessage(long id, long arrival, Envelope e, List<Location> chunks, Location where,
                                    long contentLength, int inlineLength, int prefixLength) {
        int n = e.recipients().size();
        long[] refs = new long[chunks.size() * 3];
        for (int i = 0; i < chunks.size(); i++) {
            refs[i * 3] = chunks.get(i).segment();
            refs[i * 3 + 1] = chunks.get(i).offset();
            refs[i * 3 + 2] = chunks.get(i).length();
        }
        QueuedMessage m = new QueuedMessage(id, arrival, e.sender(), e.parameters(),
                e.recipients().toArray(new MailPath[0]), new byte[n], new int[n], new long[n], null, refs, where,
                where.length() - inlineLength - (prefixLength > 0 ? 4 + prefixLength : 0), inlineLength, contentLength,
                prefixLength);
        m.queued = Math.max(arrival, System.currentTimeMillis()); // written and synced just now
        return m;
    }

    /** The envelope at the head of the MESSAGE record at {@code record}, read from the log ({@code headLength} bytes). */
    public static Envelope readEnvelope(SegmentLog log, Location record, int headLength) throws IOException {
        ByteBuf head = Unpooled.buffer(headLength);
        try {
            log.read(record, 0, head.nioBuffer(0, headLength));
            head.writerIndex(headLength);
            return decodeEnvelope(head, log.formatOf(record.segment()));
        } finally {
            head.release();
        }
    }

    /** The full envelope from the head of a MESSAGE record written in {@code format} (recipients as received). */
    static Envelope decodeEnvelope(ByteBuf p, int format) {
        if (format < TYPED) {
            return LegacyRecords.decodeEnvelope(p);
        }
        p.readLong();
        p.readLong();
        MailPath sender = readPath(p);
        MailParameters params = readParameters(p);
        String client = readString(p);
        String helo = readString(p);
        String protocol = readString(p);
        int n = p.readInt();
        List<MailPath> rcpts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rcpts.add(readPath(p));
            p.skipBytes(1 + 4 + 8);
            readOutcome(p);
        }
        return new Envelope(sender, params, rcpts, client, helo, protocol);
    }

    public static ByteBuf encodeState(ByteBufAllocator alloc, QueuedMessage m, int[] indexes) {
        ByteBuf b = alloc.heapBuffer(16 + indexes.length * 80);
        b.writeLong(m.id).writeInt(indexes.length);
        for (int i : indexes) {
            b.writeInt(i).writeByte(m.states[i]).writeInt(m.attempts[i]).writeLong(m.nextAttempt[i]);
            writeOutcome(b, m.outcome(i));
        }
        return b;
    }

    /** Applies a STATE record written in {@code format} to the message it names (found by the leading id). */
    static void applyState(ByteBuf p, QueuedMessage m, int format) {
        p.readLong();
        int n = p.readInt();
        for (int k = 0; k < n; k++) {
            int i = p.readInt();
            byte state = p.readByte();
            int attempts = p.readInt();
            long next = p.readLong();
            Outcome last = format < TYPED ? LegacyRecords.readLastError(p) : readOutcome(p);
            if (i >= 0 && i < m.recipients.length) {
                m.states[i] = state;
                m.attempts[i] = attempts;
                m.nextAttempt[i] = next;
                m.setOutcome(i, last);
            }
        }
    }

    /** The payload of a REMOVE record: the id alone. */
    public static ByteBuf encodeRemove(ByteBufAllocator alloc, long id) {
        return alloc.heapBuffer(8).writeLong(id);
    }

    /** The payload of a HOLD or RELEASE record: the id alone (the type says which). */
    public static ByteBuf encodeHold(ByteBufAllocator alloc, long id) {
        return alloc.heapBuffer(8).writeLong(id);
    }
}
