package dev.mta.queue.log;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Lets tests make the disk misbehave where real disks do: just before a segment is fsynced. A hook that throws
 * makes that fsync fail; it may first change the file the way Linux can after a failed fsync (dirty pages dropped,
 * so the range since the last good fsync reads back as something else).
 */
public interface FaultHook {
    /** No faults: production. */
    FaultHook NONE = (segment, channel, durableEnd, end) -> { };

    /**
     * Called before fsyncing {@code segment}, whose bytes up to {@code durableEnd} are known durable and whose
     * written end is {@code end}.
     */
    void beforeFsync(long segment, FileChannel channel, long durableEnd, long end) throws IOException;
}
