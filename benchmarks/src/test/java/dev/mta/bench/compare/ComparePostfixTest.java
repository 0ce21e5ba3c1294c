package dev.mta.bench.compare;

import dev.mta.testkit.Peers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Postfix row: a private Postfix relays the load to the sink, is measured, then stopped and removed. */
@Tag("slow")
class ComparePostfixTest {
    @Test
    void postfixRowDeliversEveryMessageOnceAndLeavesNothingBehind() throws Exception {
        Peers.require("postfix");
        assumeTrue("root".equals(System.getProperty("user.name")),
                "a private Postfix instance needs root (its master starts as root and runs daemons as postfix)");
        CompareSettings settings = new CompareSettings(List.of(new Scenario("1k", 5, 0)), List.of(Contender.POSTFIX),
                200, 1, 0, 0, null, List.of(), Duration.ofSeconds(60), Duration.ofSeconds(120), true);
        RunResult r = new CompareRun(settings, new PrintStream(OutputStream.nullOutputStream())).run(
                settings.scenarios().get(0), Contender.POSTFIX);
        assertTrue(r.exactlyOnce(), r::toString);
        assertEquals(200, r.delivered());
        assertTrue(r.server().startsWith("Postfix "), r.server());
        assertTrue(r.cpuPer1000() > 0, r::toString);
        assertTrue(r.peakPssBytes() > 1 << 20, r::toString);
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertFalse(dirs.anyMatch(p -> p.getFileName().toString().startsWith("compare-postfix")),
                    "the private Postfix directory was not removed");
        }
    }
}
