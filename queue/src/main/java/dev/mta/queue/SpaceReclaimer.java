package dev.mta.queue;

import dev.mta.queue.model.Envelope;
import dev.mta.queue.log.Location;
import dev.mta.queue.log.RecordType;
import dev.mta.queue.log.SegmentLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the log's disk use following the live queue, on the writer thread after each batch: deletes the oldest
 * segments while nothing pins them; and when the log has grown past twice the live data because long-lived messages
 * pin its oldest segment, copies those messages forward so the segment can go.
 */
final class SpaceReclaimer {
    private static final Logger log = LoggerFactory.getLogger(SpaceReclaimer.class);

    private final DurableQueue queue;
    private final SegmentLog segmentLog;
    private final FatalErrorHandler fatal;
    /** Segment count at the last relocation that could move nothing: no point scanning again until it changes. */
    private int fruitlessAt = -1;

    SpaceReclaimer(DurableQueue queue, SegmentLog segmentLog, FatalErrorHandler fatal) {
        this.queue = queue;
        this.segmentLog = segmentLog;
        this.fatal = fatal;
    }

    void reclaim() {
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
        while (segmentLog.oldestSegment() < segmentLog.activeSegment()
                && !queue.pins().isPinned(segmentLog.oldestSegment())) {
            segmentLog.delete(segmentLog.oldestSegment());
        }
    }

    private boolean needsRelocation() {
        long segmentSize = queue.config().segmentSize();
        return segmentLog.segmentCount() >= 3 && segmentLog.diskBytes() > 2 * queue.liveBytes() + 2 * segmentSize;
    }

    /** Copies every message that began in {@code segment} to the end of the log. */
    private void relocate(long segment) throws IOException {
        List<QueuedMessage> movers = queue.startedIn(segment);
        if (movers == null) {
            return; // one is being read; try again later
        }
        for (QueuedMessage m : movers) {
            relocate(m);
        }
    }

    private void relocate(QueuedMessage m) throws IOException {
        segmentLog.rollIfFull();
        SegmentLog.Mark mark = segmentLog.mark();
        Object lock = queue.indexLock();
        try {
            MessageBody body;
            Location record;
            int headLength;
            synchronized (lock) {
                if (m.removed) {
                    return;
                }
                body = MessageBody.of(segmentLog, m);
                record = m.record;
                headLength = m.inlineOffset;
            }
            Envelope envelope = DurableQueue.readEnvelope(segmentLog, record, headLength);
            List<Location> chunks = copyBody(m.id, body);
            synchronized (lock) {
                if (m.removed || m.leases > 0) {
                    segmentLog.discardSince(mark, new IOException("relocation of a message in use abandoned"));
                    return;
                }
                ByteBuf restated = RecordCodec.encodeRelocated(ByteBufAllocator.DEFAULT, m, envelope, chunks);
                Location where;
                try {
                    where = segmentLog.append(RecordType.MESSAGE, restated);
                } finally {
                    restated.release();
                }
                segmentLog.sync();
                long[] refs = new long[chunks.size() * 3];
                for (int i = 0; i < chunks.size(); i++) {
                    refs[i * 3] = chunks.get(i).segment();
                    refs[i * 3 + 1] = chunks.get(i).offset();
                    refs[i * 3 + 2] = chunks.get(i).length();
                }
                long old = m.firstSegment;
                m.moveTo(refs, where);
                queue.pins().pin(m.firstSegment);
                queue.pins().release(old);
            }
        } catch (IOException | RuntimeException e) {
            try {
                segmentLog.discardSince(mark, e);
            } catch (IOException broken) {
                fatal.fatal("queue writer", broken);
            }
            throw e;
        }
    }

    /** Appends a message's body again as CHUNK records, returning where the data went. */
    private List<Location> copyBody(long id, MessageBody body) throws IOException {
        List<Location> out = new ArrayList<>();
        byte[] buf = new byte[queue.config().inlineLimit()];
        try (InputStream in = body.openStream()) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                ByteBuf chunk = Unpooled.buffer(8 + n).writeLong(id).writeBytes(buf, 0, n);
                try {
                    Location loc = segmentLog.append(RecordType.CHUNK, chunk);
                    out.add(new Location(loc.segment(), loc.offset() + 8, loc.length() - 8));
                } finally {
                    chunk.release();
                }
            }
        }
        return out;
    }
}
