package dev.mta.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small real comparison: the load into the sink, then through this MTA (a child process) into the sink. */
class CompareRunTest {
    @TempDir
    Path dir;

    @Test
    void ceilingAndMtaDeliverEveryMessageOnceWithSaneFigures() throws Exception {
        Path out = dir.resolve("out");
        int code = new CommandLine(new CompareCommand()).execute("--sessions", "5", "--messages", "200",
                "--size", "1k", "--runs", "ceiling,mta", "--quiet", "--drain-timeout", "120", "--out", out.toString());
        assertEquals(0, code);
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| ceiling (load → sink) |") && md.contains("| this MTA |")
                && md.contains("| *us / ceiling* |"), md);
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("results");
        assertEquals(2, results.size());
        for (JsonNode r : results) {
            assertEquals(200, r.get("accepted").asLong(), r::toString);
            assertEquals(200, r.get("delivered").asLong(), r::toString);
            assertTrue(r.get("exactlyOnce").asBoolean(), r::toString);
            assertTrue(r.get("acceptedPerSecond").asDouble() > 1, r::toString);
            assertTrue(r.get("deliveredPerSecond").asDouble() > 1, r::toString);
            // Not more than accepted: the sink's count at the load's end cannot pass what the load had answered.
            double steady = r.get("deliveredWhileLoadingPerSecond").asDouble();
            assertTrue(steady > 0 && steady <= r.get("acceptedPerSecond").asDouble() * 1.0001, r::toString);
            double p50 = r.get("p50").asDouble();
            assertTrue(p50 > 0 && p50 <= r.get("p99").asDouble() && r.get("p99").asDouble() <= r.get("p999").asDouble(),
                    r::toString);
        }
        JsonNode mta = results.get(1);
        assertEquals("MTA", mta.get("contender").asText());
        assertTrue(mta.get("cpuPer1000").asDouble() > 0, mta::toString);
        long pss = mta.get("peakPssBytes").asLong();
        assertTrue(pss > 16L << 20 && pss < 2L << 30, mta::toString);
        byte[] png = Files.readAllBytes(out.resolve("chart.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }
}
