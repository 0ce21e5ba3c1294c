package dev.mta.queue.compaction;

import dev.mta.queue.index.IndexRelocations;
import dev.mta.queue.index.QueueIndex;
import dev.mta.queue.index.QueuedMessage;
import dev.mta.queue.index.RecordCodec;
import dev.mta.queue.index.Relocation;
import dev.mta.queue.log.Location;
import dev.mta.queue.log.PiecesStream;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.SegmentLog;
import dev.mta.queue.log.SegmentPins;
import dev.mta.queue.model.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps the log's disk use following the live queue, on the writer thread after each batch: deletes the oldest
 * segments while nothing pins them; and when the log has grown past twice the live data because long-lived messages
 * pin its oldest segment, copies those messages forward so the segment can go.
 *
 * <p>A copy is made without the index's lock: the compactor takes a {@link Relocation} (the message as it stands)
 * under the lock, then reads, appends and fsyncs with no lock held, and only then takes the lock again, briefly, to
 * point the message at the copy, if the message is still queued, not leased and unchanged. Otherwise the copy is
 * abandoned. Why that is safe:
 * <ul>
 *   <li>Records are appended, never rewritten: the old MESSAGE and chunks stay valid, and stay on disk, because the
 *       message still pins its old first segment until the swap; the swap pins the new one before releasing it.</li>
 *   <li>An abandoned copy is still a faithful statement of the message as it was when taken, and it may well come
 *       back at recovery (a later MESSAGE for an id replaces the earlier). Every change the copy did not see was made
 *       in memory after it was taken, and its record (STATE, REMOVE, HOLD, RELEASE) was queued to the writer after
 *       that; this thread is the writer, busy with the copy, so that record lands after the copy and recovery
 *       applies it on top. A leased body is read from the old records, which the abandoned copy does not touch.</li>
 *   <li>The copy lies in a segment later than the message's old first segment, and segments go oldest first: the
 *       old records never outlive the copy. The record that ends the message (last STATE or REMOVE) is written after
 *       the copy, so in the same segment or a later one: the copy never outlives it either, and cannot bring back
 *       a finished message.</li>
 *   <li>A copy of a held message is followed by a HOLD record in the same fsync; recovery also carries the held flag
 *       over from the entry a copy replaces, in case a crash kept the copy but not that HOLD.</li>
 * </ul>
 */
public final class Compactor {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);

    private final QueueIndex index;
    private final IndexRelocations relocations;
    private final SegmentLog segmentLog;
    private final SegmentPins pins;
    private final long segmentSize;
    private final int copyBuffer;
    private final Consumer<Throwable> fatal;
    /** Segment count at the last relocation that could move nothing: no point scanning again until it changes. */
    private int fruitlessAt = -1;

    /**
     * @param copyBuffer the largest CHUNK a copy writes (the queue's inline limit)
     * @param fatal      hears when the log cannot be made safe after a failed copy
     */
    public Compactor(QueueIndex index, SegmentLog segmentLog, SegmentPins pins, long segmentSize, int copyBuffer,
                     Consumer<Throwable> fatal) {
        this.index = index;
        this.relocations = index.relocations();
        this.segmentLog = segmentLog;
        this.pins = pins;
        this.segmentSize = segmentSize;
        this.copyBuffer = copyBuffer;
        this.fatal = fatal;
    }

    /** Runs on the writer thread between batches. */
    public void reclaim() {
        if (!segmentLog.isWritable()) {
            return;
        }
        try {
            deleteUnpinnedHead();
            if (segmentLog.segmentCount() != fruitlessAt && needsRelocation()) {
                int before = segmentLog.segmentCount();
                relocate(segmentLog.oldestSegment());
                deleteUnpinnedHead();
                fruitlessAt = segmentLog.segmentCount() < before ? -1 : segmentLog.segmentCount();
            }
        } catch (IOException e) {
            log.warn("queue housekeeping failed: {}", e.toString());
        }
    }

    private void deleteUnpinnedHead() throws IOException {
        while (segmentLog.oldestSegment() < segmentLog.activeSegment() && !pins.isPinned(segmentLog.oldestSegment())) {
            segmentLog.delete(segmentLog.oldestSegment());
        }
    }

    private boolean needsRelocation() {
        return segmentLog.segmentCount() >= 3 && segmentLog.diskBytes() > 2 * index.liveBytes() + 2 * segmentSize;
    }

    /** Copies every message that began in {@code segment} to the end of the log. */
    private void relocate(long segment) throws IOException {
        List<QueuedMessage> movers = relocations.startedIn(segment);
        if (movers == null) {
            return; // one is being read; try again later
        }
        for (QueuedMessage m : movers) {
            relocate(m);
        }
    }

    private void relocate(QueuedMessage m) throws IOException {
        segmentLog.rollIfFull();
        Relocation r = relocations.relocationOf(m);
        if (r == null) {
            return;
        }
        SegmentLog.Mark mark = segmentLog.mark();
        try {
            // No lock from here to the swap: reading, appending and the fsync happen while the index is free.
            Envelope envelope = RecordCodec.readEnvelope(segmentLog, r.record(), r.headLength());
            List<Location> chunks = copyBody(r.id(), r.bodyPieces());
            if (!relocations.isUnchanged(r)) {
                segmentLog.discardSince(mark, new IOException("relocation of a message in use abandoned"));
                return;
            }
            Location where = append(RecordType.MESSAGE,
                    RecordCodec.encodeRelocated(ByteBufAllocator.DEFAULT, r, envelope, chunks));
            if (r.held()) {
                append(RecordType.HOLD, RecordCodec.encodeHold(ByteBufAllocator.DEFAULT, r.id()));
            }
            segmentLog.sync();
            if (!relocations.moveIfUnchanged(r, refs(chunks), where)) {
                log.debug("{}: changed while being copied; the copy is abandoned", r.idText());
            }
        } catch (IOException | RuntimeException e) {
            try {
                segmentLog.discardSince(mark, e);
            } catch (IOException broken) {
                fatal.accept(broken);
            }
            throw e;
        }
    }

    private Location append(byte type, ByteBuf payload) throws IOException {
        try {
            return segmentLog.append(type, payload);
        } finally {
            payload.release();
        }
    }

    private static long[] refs(List<Location> chunks) {
        long[] refs = new long[chunks.size() * 3];
        for (int i = 0; i < chunks.size(); i++) {
            refs[i * 3] = chunks.get(i).segment();
            refs[i * 3 + 1] = chunks.get(i).offset();
            refs[i * 3 + 2] = chunks.get(i).length();
        }
        return refs;
    }

    /** Appends a message's body again as CHUNK records, returning where the data went. */
    private List<Location> copyBody(long id, long[] pieces) throws IOException {
        List<Location> out = new ArrayList<>();
        byte[] buf = new byte[copyBuffer];
        try (InputStream in = new PiecesStream(segmentLog, pieces)) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                ByteBuf chunk = Unpooled.buffer(8 + n).writeLong(id).writeBytes(buf, 0, n);
                Location loc = append(RecordType.CHUNK, chunk);
                out.add(new Location(loc.segment(), loc.offset() + 8, loc.length() - 8));
            }
        }
        return out;
    }
}
