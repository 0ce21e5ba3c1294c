package dev.mta.queue;

import dev.mta.queue.log.FaultHook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A disk whose next fsyncs fail, as Linux reports EIO. With {@code dropPages} it also does what Linux may do then:
 * the dirty pages since the last good fsync are dropped, so that range reads back as zeros.
 */
final class FailingFsync implements FaultHook {
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    /** Every fsync asked for, failed or not. */
    final AtomicInteger fsyncs = new AtomicInteger();
    private final boolean dropPages;

    FailingFsync(boolean dropPages) {
        this.dropPages = dropPages;
    }

    @Override
    public void beforeFsync(long segment, FileChannel channel, long durableEnd, long end) throws IOException {
        fsyncs.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return;
        }
        failed.incrementAndGet();
        if (dropPages && end > durableEnd) {
            channel.write(ByteBuffer.allocate((int) (end - durableEnd)), durableEnd);
        }
        throw new IOException("Input/output error (injected)");
    }
}
