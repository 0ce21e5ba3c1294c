package dev.mta.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's heap, read from outside: what is live after a full collection (jcmd), and the most it ever held
 * (its GC log: the occupancy before each collection). The process must run G1 with the log these options give.
 */
public final class JvmHeap {
    private static final Pattern USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
    /** A log line's "before->after(committed)" occupancy, as in "Pause Young (Normal) ... 23M->3M(64M)". */
    private static final Pattern OCCUPANCY = Pattern.compile(" (\\d+)M->\\d+M\\(\\d+M\\)");

    private JvmHeap() {
    }

    /** The JVM options that make the measured process readable here. */
    public static List<String> options(Path gcLog) {
        return List.of("-XX:+UseG1GC", "-Xlog:gc:file=" + gcLog);
    }

    /** Heap bytes still in use once process {@code pid} has run a full collection; -1 when jcmd cannot tell. */
    public static long usedAfterFullGc(long pid) throws InterruptedException {
        if (Jcmd.run(pid, "GC.run") == null) {
            return -1;
        }
        String info = Jcmd.run(pid, "GC.heap_info");
        Matcher m = USED.matcher(info == null ? "" : info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** The largest heap occupancy any collection in {@code gcLog} found, in bytes; -1 before the first collection. */
    public static long peak(Path gcLog) throws IOException {
        long peak = -1;
        Matcher m = OCCUPANCY.matcher(Files.exists(gcLog) ? Files.readString(gcLog) : "");
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)) << 20);
        }
        return peak;
    }
}
