package dev.mta.queue.log;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An outcome written without an fsync of its own, then voided by someone else's failed fsync between batches (the
 * compactor's copy, on the writer thread): the writer writes it again, so recovery still finds it.
 */
class LazyOutcomeRewriteTest {
    @TempDir
    Path dir;

    /** Fails the next fsync once armed and drops what was written since the last good one, as Linux may. */
    private static final class FailOnce implements FaultHook {
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public void beforeFsync(long segment, FileChannel channel, long durableEnd, long end) throws IOException {
            if (armed.compareAndSet(true, false)) {
                if (end > durableEnd) {
                    channel.write(ByteBuffer.allocate((int) (end - durableEnd)), durableEnd);
                }
                throw new IOException("Input/output error (injected)");
            }
        }
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static CompletableFuture<Void> append(LogWriter w, byte type, String payload, boolean sync) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        w.append(type, () -> text(payload), sync, (loc, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    @Test
    void anOutcomeVoidedByAFailedFsyncBetweenBatchesIsWrittenAgain() throws Exception {
        FailOnce disk = new FailOnce();
        AtomicBoolean copyNext = new AtomicBoolean();
        SegmentLog log = SegmentLog.open(dir, 1 << 20, disk, (type, location, format, payload) -> { });
        // Between batches, as the compactor does: append a copy, fsync it, and make the log safe when that fails.
        Runnable housekeeping = () -> {
            if (!copyNext.compareAndSet(true, false)) {
                return;
            }
            SegmentLog.Mark mark = log.mark();
            ByteBuf copy = text("copy");
            try {
                log.append(RecordType.CHUNK, copy);
                disk.armed.set(true);
                log.sync();
            } catch (IOException e) {
                try {
                    log.discardSince(mark, e);
                } catch (IOException broken) {
                    throw new IllegalStateException(broken);
                }
            } finally {
                copy.release();
            }
        };
        LogWriter writer = new LogWriter(log, housekeeping, e -> { });
        append(writer, RecordType.MESSAGE, "message", true).get(10, TimeUnit.SECONDS);
        copyNext.set(true);
        append(writer, RecordType.STATE, "outcome", false).get(10, TimeUnit.SECONDS); // written, not fsynced
        CompletableFuture<Void> after = new CompletableFuture<>();
        writer.execute(() -> after.complete(null));
        after.get(10, TimeUnit.SECONDS);
        assertTrue(!copyNext.get() && !disk.armed.get(), "the copy ran and its fsync failed");
        writer.close();
        log.close();

        List<String> states = new ArrayList<>();
        List<Location> where = new ArrayList<>();
        SegmentLog reopened = SegmentLog.open(dir, 1 << 20, FaultHook.NONE, (type, location, format, payload) -> {
            if (type == RecordType.STATE) {
                states.add(payload.toString(StandardCharsets.US_ASCII));
                where.add(location);
            }
        });
        try {
            List<String> live = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                if (!reopened.isVoided(where.get(i))) {
                    live.add(states.get(i));
                }
            }
            assertEquals(List.of("outcome"), live, "the outcome survives the void, written once more after it");
        } finally {
            reopened.close();
        }
    }
}
