package dev.mta.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the results were taken on: cores, memory, load average, Java, Postfix. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal:"));
        m.put("loadAverageAtStart", firstLine(Path.of("/proc/loadavg"), ""));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("postfix", PostfixInstance.unavailable() == null ? PostfixInstance.version() : "not available");
        return m;
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("").trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
