package dev.mta.server.support;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The memory of an MTA process, read from outside: the most heap it ever held (its GC log), the heap still live after
 * a full collection, the direct memory in use (native memory "Other" less its value at rest) and its resident set.
 * A figure that could not be read is -1. The process must run with {@link JvmHeap#options} and
 * {@link NativeMemory#TRACKING}.
 */
public record MtaMemory(long heapPeak, long heapLive, long direct, long rss) {
    /** Reads {@code mta} now; {@code otherAtRest} is its native "Other" before anything happened. */
    public static MtaMemory read(Process mta, Path gcLog, long otherAtRest) throws IOException, InterruptedException {
        long other = NativeMemory.other(mta.pid());
        long direct = other >= 0 && otherAtRest >= 0 ? other - otherAtRest : -1;
        long rss = NativeMemory.rss(mta.pid());
        long live = JvmHeap.usedAfterFullGc(mta.pid());
        return new MtaMemory(JvmHeap.peak(gcLog), live, direct, rss);
    }

    @Override
    public String toString() {
        return String.format("heap peak %s, live after full GC %s, direct %s, RSS %s", mb(heapPeak), mb(heapLive),
                mb(direct), mb(rss));
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "unknown" : String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
