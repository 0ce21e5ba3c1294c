package dev.mta.queue;

import dev.mta.queue.log.Location;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Payload layouts of the queue's records (all big-endian; strings are an int length and UTF-8 bytes).
 * <pre>
 * MESSAGE: id, arrival, sender, params, client, helo, protocol,
 *          rcpt count, per rcpt (address, state byte, attempts, next attempt, last error),
 *          chunk count, per chunk (segment, offset, length), body length, inline length, inline bytes
 * STATE:   id, count, per change (rcpt index, state byte, attempts, next attempt, last error)
 * REMOVE:  id
 * CHUNK:   id, body bytes
 * </pre>
 */
final class RecordCodec {
    private RecordCodec() {
    }

    static ByteBuf encodeMessage(ByteBufAllocator alloc, long id, long arrival, Envelope e, List<Location> chunks,
                                 long bodyLength, List<ByteBuf> inline, int inlineLength) {
        ByteBuf head = alloc.heapBuffer(256 + 64 * e.recipients().size() + 20 * chunks.size());
        head.writeLong(id).writeLong(arrival);
        writeString(head, e.reversePath());
        writeString(head, e.mailParameters());
        writeString(head, e.clientAddress());
        writeString(head, e.heloName());
        writeString(head, e.protocol());
        head.writeInt(e.recipients().size());
        for (String r : e.recipients()) {
            writeString(head, r);
            head.writeByte(RecipientState.PENDING.ordinal()).writeInt(0).writeLong(0L);
            writeString(head, "");
        }
        head.writeInt(chunks.size());
        for (Location c : chunks) {
            head.writeLong(c.segment()).writeLong(c.offset()).writeInt(c.length());
        }
        head.writeLong(bodyLength).writeInt(inlineLength);
        CompositeByteBuf all = alloc.compositeBuffer(inline.size() + 1);
        all.addComponent(true, head);
        for (ByteBuf b : inline) {
            all.addComponent(true, b.retainedDuplicate());
        }
        return all;
    }

    /** A MESSAGE record restating a live message as it is now (states included), for relocation. */
    static ByteBuf encodeRelocated(ByteBufAllocator alloc, QueuedMessage m, Envelope e, List<Location> chunks) {
        ByteBuf b = alloc.heapBuffer(256 + 80 * m.recipients.length + 20 * chunks.size());
        b.writeLong(m.id).writeLong(m.arrival);
        writeString(b, e.reversePath());
        writeString(b, e.mailParameters());
        writeString(b, e.clientAddress());
        writeString(b, e.heloName());
        writeString(b, e.protocol());
        b.writeInt(m.recipients.length);
        for (int i = 0; i < m.recipients.length; i++) {
            writeString(b, m.recipients[i]);
            b.writeByte(m.states[i]).writeInt(m.attempts[i]).writeLong(m.nextAttempt[i]);
            String err = m.error(i);
            writeString(b, err == null ? "" : err);
        }
        b.writeInt(chunks.size());
        for (Location c : chunks) {
            b.writeLong(c.segment()).writeLong(c.offset()).writeInt(c.length());
        }
        b.writeLong(m.bodyLength).writeInt(0);
        return b;
    }

    /** Decodes a MESSAGE record found at {@code where}. */
    static QueuedMessage decodeMessage(ByteBuf p, Location where) {
        int start = p.readerIndex();
        long id = p.readLong();
        long arrival = p.readLong();
        String sender = readString(p);
        String params = readString(p);
        readString(p); // client, helo and protocol live in the Received header; the index does not keep them
        readString(p);
        readString(p);
        int n = p.readInt();
        String[] rcpts = new String[n];
        byte[] states = new byte[n];
        int[] attempts = new int[n];
        long[] next = new long[n];
        String[] errors = null;
        for (int i = 0; i < n; i++) {
            rcpts[i] = readString(p);
            states[i] = p.readByte();
            attempts[i] = p.readInt();
            next[i] = p.readLong();
            String err = readString(p);
            if (!err.isEmpty()) {
                if (errors == null) {
                    errors = new String[n];
                }
                errors[i] = err;
            }
        }
        int c = p.readInt();
        long[] chunks = new long[c * 3];
        for (int i = 0; i < c; i++) {
            chunks[i * 3] = p.readLong();
            chunks[i * 3 + 1] = p.readLong();
            chunks[i * 3 + 2] = p.readInt();
        }
        long bodyLength = p.readLong();
        int inlineLength = p.readInt();
        int inlineOffset = p.readerIndex() - start;
        return new QueuedMessage(id, arrival, sender, params.isEmpty() ? "" : params, rcpts, states, attempts, next,
                errors, chunks, where, inlineOffset, inlineLength, bodyLength);
    }

    /** The index entry of a message just written, built from what was encoded rather than by reading it back. */
    static QueuedMessage newMessage(long id, long arrival, Envelope e, List<Location> chunks, Location where,
                                    long bodyLength, int inlineLength) {
        int n = e.recipients().size();
        long[] refs = new long[chunks.size() * 3];
        for (int i = 0; i < chunks.size(); i++) {
            refs[i * 3] = chunks.get(i).segment();
            refs[i * 3 + 1] = chunks.get(i).offset();
            refs[i * 3 + 2] = chunks.get(i).length();
        }
        String params = e.mailParameters().isEmpty() ? "" : e.mailParameters();
        return new QueuedMessage(id, arrival, e.reversePath(), params, e.recipients().toArray(new String[0]),
                new byte[n], new int[n], new long[n], null, refs, where, where.length() - inlineLength, inlineLength,
                bodyLength);
    }

    /** The full envelope from the head of a MESSAGE record (recipients as originally received). */
    static Envelope decodeEnvelope(ByteBuf p) {
        p.readLong();
        p.readLong();
        String sender = readString(p);
        String params = readString(p);
        String client = readString(p);
        String helo = readString(p);
        String protocol = readString(p);
        int n = p.readInt();
        List<String> rcpts = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rcpts.add(readString(p));
            p.skipBytes(1 + 4 + 8);
            readString(p);
        }
        return new Envelope(sender, params, rcpts, client, helo, protocol);
    }

    static ByteBuf encodeState(ByteBufAllocator alloc, QueuedMessage m, int[] indexes) {
        ByteBuf b = alloc.heapBuffer(16 + indexes.length * 48);
        b.writeLong(m.id).writeInt(indexes.length);
        for (int i : indexes) {
            b.writeInt(i).writeByte(m.states[i]).writeInt(m.attempts[i]).writeLong(m.nextAttempt[i]);
            String err = m.error(i);
            writeString(b, err == null ? "" : err);
        }
        return b;
    }

    /** Applies a STATE record to the message it names (the caller found it by the leading id). */
    static void applyState(ByteBuf p, QueuedMessage m) {
        p.readLong();
        int n = p.readInt();
        for (int k = 0; k < n; k++) {
            int i = p.readInt();
            byte state = p.readByte();
            int attempts = p.readInt();
            long next = p.readLong();
            String err = readString(p);
            if (i >= 0 && i < m.recipients.length) {
                m.states[i] = state;
                m.attempts[i] = attempts;
                m.nextAttempt[i] = next;
                m.setError(i, err.isEmpty() ? null : err);
            }
        }
    }

    static ByteBuf encodeRemove(ByteBufAllocator alloc, long id) {
        return alloc.heapBuffer(8).writeLong(id);
    }

    private static void writeString(ByteBuf b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.writeInt(bytes.length).writeBytes(bytes);
    }

    private static String readString(ByteBuf b) {
        int n = b.readInt();
        if (n == 0) {
            return "";
        }
        String s = b.toString(b.readerIndex(), n, StandardCharsets.UTF_8);
        b.skipBytes(n);
        return s;
    }
}
