package dev.mta.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Linux's /proc says about processes: CPU time from {@code /proc/PID/stat}, proportional set size from
 * {@code /proc/PID/smaps_rollup}, and a process's descendants. A process that ends while it is read counts as zero.
 */
final class ProcFs {
    /** USER_HZ: the unit of the stat file's times; 100 on every Linux architecture Java runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcFs() {
    }

    /**
     * CPU seconds of {@code pid} and every process under it, live or ended: each process's utime + stime plus
     * cutime + cstime (the times of the children it has reaped), so a process that came and went still counts.
     */
    static double treeCpuSeconds(long pid) {
        long ticks = 0;
        for (long p : tree(pid)) {
            long[] t = cpuTicks(p);
            ticks += t[0] + t[1] + t[2] + t[3];
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** PSS of {@code pid} and every process under it, in bytes. */
    static long treePssBytes(long pid) {
        long sum = 0;
        for (long p : tree(pid)) {
            sum += pssBytes(p);
        }
        return sum;
    }

    /** utime, stime, cutime, cstime of one process in ticks; zeros when it is gone. */
    static long[] cpuTicks(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException gone) {
            return new long[4];
        }
    }

    /** The four CPU fields (14 to 17) of a stat line; the command name in parentheses may hold spaces. */
    static long[] parseCpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): field n is f[n - 3].
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /** The parent pid in a stat line (field 4). */
    static long parseParent(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[1]);
    }

    /** PSS of one process in bytes, from smaps_rollup's {@code Pss:} line; 0 when it is gone or unreadable. */
    static long pssBytes(long pid) {
        try {
            return parsePss(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static long parsePss(String rollup) {
        for (String line : rollup.split("\n")) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[0]) * 1024;
            }
        }
        return 0;
    }

    /** {@code root} and its descendants, root first. */
    static List<Long> tree(long root) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), d -> isNumber(d.getFileName()))) {
            for (Path d : dirs) {
                try {
                    long pid = Long.parseLong(d.getFileName().toString());
                    long parent = parseParent(Files.readString(d.resolve("stat")));
                    children.computeIfAbsent(parent, k -> new ArrayList<>()).add(pid);
                } catch (IOException | RuntimeException gone) {
                    // ended while listed
                }
            }
        } catch (IOException e) {
            return List.of(root);
        }
        List<Long> out = new ArrayList<>();
        out.add(root);
        for (int i = 0; i < out.size(); i++) {
            out.addAll(children.getOrDefault(out.get(i), List.of()));
        }
        return out;
    }

    private static boolean isNumber(Path name) {
        String s = name.toString();
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
