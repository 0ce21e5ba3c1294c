package dev.mta.server.smtp;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;

/**
 * The buffer memory of one SMTP connection and the channel settings that bound it. A session that is not reading
 * its client (the client does not read its replies, or we wait on the disk) holds at most its last read, a partial
 * line before it, and the replies waiting to leave: a few tens of KiB, so a thousand such sessions fit in the direct
 * memory of a small heap (by default the JVM allows as much direct memory as heap).
 */
public final class ConnectionBuffers {
    /**
     * The largest single read from a client. Netty's default grows reads to 64 KiB; a paused session keeps what is
     * left of its last read, and 16 KiB reads take a large message in about as fast. Netty's pooling allocator has
     * size classes of exactly 16 KiB and of 16 KiB + 512 (a read with a command line before it).
     */
    static final int MAX_READ = 16 * 1024;
    /** Past this much in unsent replies a session stops reading its client... */
    static final int WRITE_HIGH = 8 * 1024;
    /** ...and goes on below this. A pipelined batch's replies are a few KiB; only a client that does not read gets here. */
    static final int WRITE_LOW = 4 * 1024;
    /** The reply that crosses the high-water mark is still written; no reply of ours is longer than this. */
    private static final int LARGEST_REPLY = 1024;

    static final RecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ);
    static final WriteBufferWaterMark WRITES = new WriteBufferWaterMark(WRITE_LOW, WRITE_HIGH);

    private ConnectionBuffers() {
    }

    /**
     * The most buffer memory one session holds while it is not reading: its last read with a partial line before it,
     * and the replies waiting for its client. Content of a message being received is the queue's, not counted here.
     */
    public static long stalledSessionBytes(int maxLineLength) {
        return MAX_READ + maxLineLength + WRITE_HIGH + LARGEST_REPLY;
    }
}
