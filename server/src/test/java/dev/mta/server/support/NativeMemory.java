package dev.mta.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's native memory as its native memory tracking reports it through jcmd. Direct buffers are allocated
 * with {@code Unsafe.allocateMemory}, which the tracking counts under "Other", so that category less its value at
 * rest is the direct memory in use. Also the process's resident set, as Linux reports it.
 */
public final class NativeMemory {
    /** The JVM option the measured process needs. */
    public static final String TRACKING = "-XX:NativeMemoryTracking=summary";

    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private NativeMemory() {
    }

    /** Bytes committed in the "Other" category of process {@code pid}, or -1 when jcmd cannot tell. */
    public static long other(long pid) throws InterruptedException {
        String out = Jcmd.run(pid, "VM.native_memory", "summary");
        Matcher m = OTHER.matcher(out == null ? "" : out);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** The resident set size of process {@code pid} in bytes ({@code VmRSS}), or -1 off Linux. */
    public static long rss(long pid) {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
