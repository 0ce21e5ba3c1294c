package dev.mta.server.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's native memory as its native memory tracking reports it through jcmd. Direct buffers are allocated
 * with {@code Unsafe.allocateMemory}, which the tracking counts under "Other", so that category less its value at
 * rest is the direct memory in use.
 */
public final class NativeMemory {
    /** The JVM option the measured process needs. */
    public static final String TRACKING = "-XX:NativeMemoryTracking=summary";

    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    private NativeMemory() {
    }

    /** Bytes committed in the "Other" category of process {@code pid}, or -1 when jcmd cannot tell. */
    public static long other(long pid) throws InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, String.valueOf(pid), "VM.native_memory", "summary")
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            Matcher m = OTHER.matcher(new String(out, StandardCharsets.UTF_8));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
