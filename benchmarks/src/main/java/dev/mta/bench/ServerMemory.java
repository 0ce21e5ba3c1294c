package dev.mta.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of a server JVM on this machine, read from outside by its pid: the heap live after a full collection
 * (jcmd GC.run, GC.heap_info), native memory tracking's "Other" category, where direct buffers are counted (only
 * when the server runs with -XX:NativeMemoryTracking=summary), and the resident set (/proc). -1 for what cannot be
 * read.
 */
record ServerMemory(long heapLive, long nativeOther, long rss) {
    /** A heap space's line: "garbage-first heap total 65536K, used 7281K", or each generation's in other collectors. */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    static ServerMemory read(long pid) throws InterruptedException {
        long other = kilobytes(OTHER, jcmd(pid, "VM.native_memory", "summary"));
        long rss = kilobytes(RSS, procStatus(pid));
        long heap = -1;
        if (jcmd(pid, "GC.run") != null) {
            String info = jcmd(pid, "GC.heap_info");
            Matcher m = HEAP_USED.matcher(info == null ? "" : info);
            while (m.find()) {
                heap = Math.max(heap, 0) + Long.parseLong(m.group(1)) * 1024;
            }
        }
        return new ServerMemory(heap, other, rss);
    }

    private static long kilobytes(Pattern p, String text) {
        Matcher m = p.matcher(text == null ? "" : text);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static String procStatus(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
        } catch (IOException e) {
            return null;
        }
    }

    /** What {@code jcmd pid command...} printed, or null when it failed or took over 30 s. */
    private static String jcmd(long pid, String... command) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
