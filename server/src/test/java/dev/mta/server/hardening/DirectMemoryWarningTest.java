package dev.mta.server.hardening;

import dev.mta.server.support.MtaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At start the MTA warns when --max-connections stalled sessions could need more direct memory than the JVM
 * allows (by default as much as the heap), naming the settings that fix it.
 */
class DirectMemoryWarningTest {
    @TempDir
    Path dir;

    @Test
    void warnsWhenStalledSessionsCouldExhaustDirectMemory() throws Exception {
        // A thousand stalled sessions need about 25 MiB.
        String log = startAndReadLog(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=16m"));
        String line = log.lines().filter(l -> l.contains("of direct memory")).findFirst()
                .orElseThrow(() -> new AssertionError("no warning in:\n" + log));
        assertTrue(line.contains("WARN"), line);
        assertTrue(line.contains("--max-connections 1000"), line);
        assertTrue(line.contains("-Xmx") && line.contains("-XX:MaxDirectMemorySize"), line);
        System.out.println(line);
    }

    @Test
    void aSmallHeapIsEnoughForTheDefaults() throws Exception {
        String log = startAndReadLog(List.of("-Xmx64m"));
        assertFalse(log.contains("of direct memory"), log);
    }

    /** Starts an MTA with these JVM options and the default --max-connections; returns its log once it listens. */
    private String startAndReadLog(List<String> jvm) throws Exception {
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta-" + port + ".log");
        Process mta = MtaProcess.start(port, dir.resolve("spool-" + port), log, jvm, List.of("--no-relay"));
        try {
            MtaProcess.awaitListening(port);
            return Files.readString(log);
        } finally {
            mta.destroy();
            if (!mta.waitFor(20, TimeUnit.SECONDS)) {
                mta.destroyForcibly();
            }
        }
    }
}
