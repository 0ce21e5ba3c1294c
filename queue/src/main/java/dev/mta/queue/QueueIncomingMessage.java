package dev.mta.queue;

import dev.mta.queue.model.StorageFullException;

import dev.mta.queue.model.QueueIds;

import dev.mta.queue.index.RecordCodec;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.log.AppendCallback;
import dev.mta.queue.log.Location;
import dev.mta.queue.log.RecordType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A message being received into the {@link DurableQueue}. Content is kept as the session's own buffers until the
 * inline limit; past it, it is written ahead as CHUNK records without waiting for an fsync. The MESSAGE record at
 * commit carries the envelope, the chunk locations and the rest of the body, and its fsync (shared with every other
 * message in the same batch) is what makes the message acknowledged. A header prefix given at commit rides in the
 * same MESSAGE record, so it is durable exactly when the message is.
 */
final class QueueIncomingMessage implements IncomingMessage {
    private static final long HIGH_WATER = 1 << 20;
    /**
     * Pieces smaller than this are copied together into a buffer of their own, and the session's buffer released at
     * once: a trickling client would otherwise pin a whole read buffer for each few bytes. Larger pieces are kept as
     * they came (no copy on the common path), and counted at the size of the buffer they hold on to.
     */
    private static final int SMALL_PIECE = 4096;
    private static final int TAIL_SIZE = 16 << 10;
    /** Under memory pressure a message writes ahead once it holds this much. */
    private static final int MIN_SPILL = 4096;

    private final DurableQueue queue;
    private final long id;
    private final long arrival;
    private final Envelope envelope;
    // Event-loop side until commit() or abort(), then the writer's.
    private final List<ByteBuf> inline = new ArrayList<>();
    /** Where small pieces are copied; joins {@code inline} when full or when the content is taken. */
    private ByteBuf tail;
    private int inlineBytes;
    /** What the content in {@code inline} and {@code tail} holds of memory, as counted against the queue's bound. */
    private long held;
    private long bodyLength;
    private boolean finished;
    // Writer-thread side.
    private final List<Location> chunks = new ArrayList<>();
    private long pinned = -1;
    private volatile Exception failure;
    private final AtomicLong pending = new AtomicLong();
    private volatile Runnable drainAction;

    QueueIncomingMessage(DurableQueue queue, long id, long arrival, Envelope envelope) {
        this.queue = queue;
        this.id = id;
        this.arrival = arrival;
        this.envelope = envelope;
    }

    @Override
    public String id() {
        return QueueIds.format(id);
    }

    @Override
    public boolean write(ByteBuf data) {
        if (finished) {
            data.release();
            return true;
        }
        int n = data.readableBytes();
        long holds;
        if (n < SMALL_PIECE) {
            if (tail != null && tail.maxWritableBytes() < n) {
                closeTail();
            }
            if (tail == null) {
                tail = Unpooled.buffer(256, TAIL_SIZE); // grows as pieces come: a plain array, gone when it is
            }
            tail.writeBytes(data);
            data.release();
            holds = n;
        } else {
            closeTail();
            inline.add(data);
            ByteBuf under = data.unwrap();
            holds = Math.max(n, under != null ? under.capacity() : data.capacity());
        }
        inlineBytes += n;
        bodyLength += n;
        held += holds;
        queue.contentBuffered(holds);
        boolean overBudget = queue.contentOverBudget();
        if (inlineBytes >= queue.config().inlineLimit() || (inlineBytes >= MIN_SPILL && overBudget)) {
            spill();
        }
        // Past the bound for all messages together, each session waits for its own content to reach the disk.
        return pending.get() < HIGH_WATER && !overBudget;
    }

    /** The small pieces copied so far take their place in order. */
    private void closeTail() {
        if (tail != null) {
            inline.add(tail);
            tail = null;
        }
    }

    /** Writes what is buffered ahead as one CHUNK record; it rides the next fsync. */
    private void spill() {
        closeTail();
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        CompositeByteBuf payload = alloc.compositeBuffer(inline.size() + 1);
        payload.addComponent(true, alloc.heapBuffer(8).writeLong(id));
        for (ByteBuf b : inline) {
            payload.addComponent(true, b);
        }
        int size = inlineBytes;
        long heldBySpill = held;
        inline.clear();
        inlineBytes = 0;
        held = 0;
        pending.addAndGet(size);
        queue.writer().append(RecordType.CHUNK, () -> payload, false, new AppendCallback() {
            @Override
            public void written(Location loc) {
                pinOnce(loc.segment());
                chunks.add(new Location(loc.segment(), loc.offset() + 8, loc.length() - 8));
            }

            @Override
            public void done(Location loc, Exception e) {
                queue.contentBuffered(-heldBySpill);
                if (e != null) {
                    failure = e;
                }
                if (pending.addAndGet(-size) == 0) {
                    runDrainAction();
                }
            }
        });
    }

    private void pinOnce(long segment) {
        if (pinned < 0) {
            pinned = segment;
            queue.pins().pin(segment);
        }
    }

    private void unpin() {
        if (pinned >= 0) {
            queue.pins().release(pinned);
            pinned = -1;
        }
    }

    @Override
    public void whenDrained(Runnable action) {
        drainAction = action;
        if (pending.get() == 0) {
            runDrainAction();
        }
    }

    private void runDrainAction() {
        Runnable a = drainAction;
        if (a != null) {
            drainAction = null;
            a.run();
        }
    }

    @Override
    public CompletableFuture<String> commit(ByteBuf headerPrefix) {
        checkPrefix(headerPrefix);
        CompletableFuture<String> done = new CompletableFuture<>();
        if (finished) {
            headerPrefix.release();
            done.completeExceptionally(new IOException("message " + id() + " already finished"));
            return done;
        }
        finished = true;
        if (!queue.hasRoom()) {
            headerPrefix.release();
            abortNow();
            done.completeExceptionally(new StorageFullException("the queue is full: its index has reached its share "
                    + "of the heap", null));
            return done;
        }
        closeTail();
        final List<ByteBuf> body = new ArrayList<>(inline);
        final int bodyInline = inlineBytes;
        // The prefix is content like the rest until written: it counts against the bound on content held.
        final ByteBuf prefix = headerPrefix;
        final int prefixLength = prefix.readableBytes();
        final long prefixHeld = prefixLength == 0 ? 0 : Math.max(prefixLength, prefix.capacity());
        queue.contentBuffered(prefixHeld);
        final long bodyHeld = held + prefixHeld;
        held = 0;
        final long total = bodyLength + prefixLength;
        inline.clear();
        queue.writer().append(RecordType.MESSAGE, () -> {
            if (failure != null || chunks.stream().anyMatch(queue.writer().segmentLog()::isVoided)) {
                return null; // an earlier chunk is gone: never write a MESSAGE that points at it
            }
            return RecordCodec.encodeMessage(ByteBufAllocator.DEFAULT, id, arrival, envelope, chunks, total, body,
                    bodyInline, prefix);
        }, true, new AppendCallback() {
            @Override
            public void written(Location loc) {
                pinOnce(loc.segment());
            }

            @Override
            public void done(Location loc, Exception e) {
                body.forEach(ByteBuf::release);
                prefix.release();
                queue.contentBuffered(-bodyHeld);
                Exception problem = failure != null ? failure : e;
                if (problem != null) {
                    unpin();
                    done.completeExceptionally(StorageFullException.classify(problem));
                    return;
                }
                try {
                    // The pin now belongs to the queued message (its first segment), released when it completes.
                    queue.admit(RecordCodec.newMessage(id, arrival, envelope, chunks, loc, total, bodyInline,
                            prefixLength));
                    done.complete(id());
                } catch (RuntimeException ex) {
                    done.completeExceptionally(ex);
                }
            }
        });
        return done;
    }

    /** Refuses (releasing it) a prefix that is too long or does not end a header field; the message stays open. */
    private static void checkPrefix(ByteBuf prefix) {
        int n = prefix.readableBytes();
        String problem = n > MAX_HEADER_PREFIX ? "a header prefix of " + n + " bytes is over " + MAX_HEADER_PREFIX
                : n > 0 && (n < 2 || prefix.getByte(prefix.writerIndex() - 2) != '\r'
                        || prefix.getByte(prefix.writerIndex() - 1) != '\n') ? "a header prefix must end in CRLF"
                : null;
        if (problem != null) {
            prefix.release();
            throw new IllegalArgumentException(problem);
        }
    }

    @Override
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        abortNow();
    }

    private void abortNow() {
        closeTail();
        queue.contentBuffered(-held);
        held = 0;
        inlineBytes = 0;
        inline.forEach(ByteBuf::release);
        inline.clear();
        // After any chunk already queued has been written and pinned.
        queue.writer().execute(this::unpin);
    }
}
