package dev.mta.bench.compare;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareTableTest {
    private static RunResult row(Contender c, String server, double acc, double del, double p99, double cpu,
                                 long pss) {
        return new RunResult("10k, 10 sessions, connections reused", c, server, 1000, 1000, 0, 1000, acc, del,
                del * 0.9, 1.5,
                p99, 20, cpu, pss, true, 0, 0, "");
    }

    @Test
    void tableHasARowPerRunAndTheRatios() {
        String md = ResultsTable.markdown(List.of(
                row(Contender.CEILING, "ceiling (load → sink)", 8000, 8000, 5, Double.NaN, -1),
                row(Contender.MTA, "this MTA", 3000, 2000, 12, 0.5, 200L << 20),
                row(Contender.POSTFIX, "Postfix 3.7.11", 1500, 1000, 24, 2.0, 100L << 20)));
        assertTrue(md.startsWith("### 10k, 10 sessions, connections reused\n\n| run |"), md);
        assertTrue(md.contains("| ceiling (load → sink) | 8,000 | 8,000 | 7,200 | 1.50 | 5.00 | 20.0 | – | – | yes, 1000 |"), md);
        assertTrue(md.contains("| this MTA | 3,000 | 2,000 | 1,800 | 1.50 | 12.0 | 20.0 | 0.50 | 200 | yes, 1000 |"), md);
        assertTrue(md.contains("| *us / Postfix* | 2.00× | 2.00× | 2.00× | 1.00× | 0.50× | 1.00× | 0.25× | 2.00× | |"), md);
        assertTrue(md.contains("| *us / ceiling* | 0.38× | 0.25× | 0.25× | 1.00× | 2.40× | 1.00× |  |  | |"), md);
    }

    @Test
    void noRatioWithoutBothSidesAndAFailedCheckStandsOut() {
        RunResult bad = new RunResult("s", Contender.MTA, "this MTA", 10, 10, 0, 9, 5, 4, 4, 1, 2, 3, 0.1, 1 << 20,
                false, 1, 0, "delivery timed out;");
        String md = ResultsTable.markdown(List.of(bad));
        assertTrue(md.contains("**no**: 9 of 10, 1 missing, 0 duplicated"), md);
        assertTrue(md.contains("this MTA: delivery timed out;"), md);
        assertTrue(!md.contains("us / "), md);
    }

    @Test
    void ratiosAndNumbers() {
        assertEquals("–", ResultsTable.ratio(1, 0));
        assertEquals("–", ResultsTable.ratio(Double.NaN, 2));
        assertEquals("0.33×", ResultsTable.ratio(1, 3));
        assertEquals("12,346", ResultsTable.rate(12345.6));
        assertEquals("–", ResultsTable.rate(0));
        assertEquals("0.25", ResultsTable.ms(0.25));
        assertEquals("1,234", ResultsTable.ms(1234.4));
        assertEquals("–", ResultsTable.mb(-1));
        assertEquals("3", ResultsTable.mb(3L << 20));
    }

    @Test
    void shortLabelsAndJsonRoundTrip(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        for (Scenario sc : List.of(new Scenario("1k", 10, 1), new Scenario("100k", 200, 0), new Scenario("10k", 5, 7))) {
            assertEquals(sc.shortLabel(), Scenario.shortLabel(sc.label()));
        }
        assertEquals("other", Scenario.shortLabel("other"));
        List<RunResult> rows = List.of(row(Contender.CEILING, "ceiling (load → sink)", 8000, 8000, 5, Double.NaN, -1),
                row(Contender.MTA, "this MTA", 3000, 2000, 12, 0.5, 200L << 20));
        Path json = dir.resolve("results.json");
        ResultsJson.write(java.util.Map.of(), rows, json);
        assertEquals(ResultsTable.markdown(rows), ResultsTable.markdown(ResultsJson.read(json)));
        ResultsChart.write(ResultsJson.read(json), dir.resolve("chart.png"));
        assertTrue(java.nio.file.Files.size(dir.resolve("chart.png")) > 1000);
    }

    @Test
    void postalCommandFollowsTheScenarioAndItsRowSitsBesideOurs() {
        List<String> cmd = PostalCrossCheck.command(new Scenario("10k", 200, 1),
                new java.net.InetSocketAddress("127.0.0.1", 2525), Path.of("/tmp/users"));
        assertEquals(List.of("/usr/sbin/postal", "-m", "10", "-M", "10", "-t", "200", "-c", "1", "[127.0.0.1]2525",
                "/tmp/users"), cmd);
        assertEquals("1000", PostalCrossCheck.command(new Scenario("1k", 10, 0),
                new java.net.InetSocketAddress("127.0.0.1", 25), Path.of("u")).get(8));
        String md = PostalCrossCheck.markdown(List.of(new PostalCrossCheck.Result(
                "10k, 10 sessions, connections reused", Contender.MTA, "this MTA", 223.4, 2234, 10, "postal ...")),
                List.of(row(Contender.MTA, "this MTA", 3000, 2000, 12, 0.5, 200L << 20)));
        assertTrue(md.contains("| 10k, 10 sessions, connections reused | this MTA | 223 | 2,000 |"), md);
    }

    @Test
    void procFsParsing() {
        String stat = "123 (java (x) y) S 1 123 123 0 -1 4194560 100 0 0 0 250 40 7 3 20 0 30 0 1000 0 0";
        assertArrayEquals(new long[] {250, 40, 7, 3}, ProcFs.parseCpuTicks(stat));
        assertEquals(1, ProcFs.parseParent(stat));
        assertEquals(2048L * 1024, ProcFs.parsePss("55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss: 4096 kB\nPss: 2048 kB\n"));
        assertTrue(ProcFs.treeCpuSeconds(ProcessHandle.current().pid()) > 0);
        assertTrue(ProcFs.treePssBytes(ProcessHandle.current().pid()) > 1 << 20);
    }

    @Test
    void postfixConfigIsPrivateAndRaisedToTheLoad() {
        PostfixConfig c = new PostfixConfig(Path.of("/tmp/x"), 2600, 2700, 200);
        String main = c.mainCf();
        assertTrue(main.contains("config_directory = /tmp/x/conf\n"), main);
        assertTrue(main.contains("queue_directory = /tmp/x/queue\n"), main);
        assertTrue(main.contains("relayhost = [127.0.0.1]:2700\n"), main);
        assertTrue(main.contains("default_process_limit = 450\n"), main);
        assertTrue(main.contains("smtp_destination_concurrency_limit = 200\n"), main);
        assertTrue(c.masterCf().contains("127.0.0.1:2600 inet n - n - - smtpd\n"), c.masterCf());
        assertEquals("10k/200/new", new Scenario("10k", 200, 1).shortLabel());
        assertEquals("1k, 10 sessions, connections reused", new Scenario("1k", 10, 0).label());
    }
}
