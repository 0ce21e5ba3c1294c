package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Makes sure nothing of a failed batch can come back at recovery (writer thread only). A failed write is cut off
 * and the cut fsynced. A failed fsync is never retried on the same file (Linux may have dropped the dirty pages, and
 * a later fsync would succeed without them): the segment is sealed, and the next one opens with a fsynced VOID
 * record for everything since the last good fsync.
 */
final class FailedBatchDiscard {
    /** Logged as the log's own lines, as before this was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(SegmentLog.class);

    private final SegmentFiles files;
    private final SegmentAppender appender;

    FailedBatchDiscard(SegmentFiles files, SegmentAppender appender) {
        this.files = files;
        this.appender = appender;
    }

    /**
     * Discards everything appended after {@code mark} (null: the batch wrote nothing) after {@code cause} failed it.
     *
     * @return true when the log moved to a new segment (what the batch replaced must be written again there)
     * @throws IOException when even that failed: the log is broken and refuses every append from now on
     */
    boolean discardSince(SegmentLog.Mark mark, Exception cause) throws IOException {
        appender.dropBuffered();
        boolean fsyncFailed = cause instanceof FsyncFailedException;
        if (mark == null && !fsyncFailed) {
            return false; // failed before the batch wrote anything (starting a segment on a full disk, say)
        }
        Segment active = appender.segment();
        if (!fsyncFailed && mark.segment() == active.number) {
            try {
                appender.cutBackDurably(mark.offset());
                return false;
            } catch (IOException e) {
                log.error("segment {}: could not cut off a failed write durably: {}", active.number, e.toString());
            }
        }
        sealActive();
        return true;
    }

    private void sealActive() throws IOException {
        Segment old = appender.segment();
        long from = appender.durableEnd();
        files.markVoid(old.number, from);
        try {
            appender.switchTo(files.create(old.number + 1));
            ByteBuf p = Unpooled.buffer(16).writeLong(old.number).writeLong(from);
            try {
                appender.append(RecordType.VOID, p);
            } finally {
                p.release();
            }
            appender.sync();
        } catch (IOException e) {
            appender.breakDown();
            throw e;
        }
        log.error("segment {}: fsync failed; sealed it, everything from offset {} is void, writing on in segment {}",
                old.number, from, appender.segment().number);
    }
}
