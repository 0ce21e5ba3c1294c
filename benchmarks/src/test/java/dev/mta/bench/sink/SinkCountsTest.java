package dev.mta.bench.sink;

import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sink counts connections, messages and recipients exactly, and its exactly-once check finds what was planted. */
@ExtendWith(LeakGuard.class)
class SinkCountsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void countsExactlyOverRealConnections() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY))) {
            int n = 0;
            for (int c = 0; c < 10; c++) {
                try (SinkTestClient client = new SinkTestClient(sink.address())) {
                    assertEquals(220, client.reply());
                    assertEquals(250, client.command("EHLO load.test"));
                    for (String cap : List.of("PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE 104857600")) {
                        assertTrue(client.last.contains(cap), client.last);
                    }
                    for (int m = 0; m < 5; m++) {
                        assertEquals(250, client.send("id-" + n++, 3));
                    }
                    assertEquals(221, client.command("QUIT"));
                }
            }
            SinkCounts counts = awaitOpen(sink, 0);
            assertEquals(10, counts.connections());
            assertEquals(50, counts.messages());
            assertEquals(150, counts.recipients());
            assertEquals(0, counts.withoutId());
            ExactlyOnce check = sink.check(ExpectedIds.numbered("id-", 0, 50));
            assertTrue(check.ok(), check.toString());
            assertEquals(50, check.distinct());
        }
    }

    @Test
    void catchesAPlantedDuplicateAndAPlantedLoss() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY));
             SinkTestClient client = new SinkTestClient(sink.address())) {
            client.reply();
            client.command("EHLO load.test");
            for (int i = 0; i < 10; i++) {
                if (i != 7) { // planted loss: id-7 never sent
                    assertEquals(250, client.send("id-" + i, 1));
                }
            }
            assertEquals(250, client.send("id-3", 1)); // planted duplicate
            assertEquals(250, client.send("stranger", 1)); // not expected
            assertEquals(250, client.send(null, 1)); // no id at all

            ExactlyOnce check = sink.check(ExpectedIds.numbered("id-", 0, 10));
            assertFalse(check.ok());
            assertEquals(10, check.expected());
            assertEquals(1, check.missing());
            assertEquals(List.of("id-7"), check.missingSample());
            assertEquals(1, check.duplicated());
            assertEquals(1, check.extraCopies());
            assertEquals(List.of("id-3 x2"), check.duplicatedSample());
            assertEquals(List.of("stranger"), check.unexpectedSample());
            assertEquals(1, sink.counts().withoutId());
            assertEquals(2, sink.receivedIds().get("id-3"));

            ExactlyOnce fromSet = sink.check(ExpectedIds.of(Set.of("id-0", "id-3", "id-7")));
            assertEquals(List.of("id-7"), fromSet.missingSample());
            assertEquals(8, fromSet.unexpected()); // id-1, 2, 4, 5, 6, 8, 9 and stranger
        }
    }

    @Test
    void countsPostfixSmtpSourceWithReusedConnections() throws Exception {
        Path smtpSource = Path.of("/usr/sbin/smtp-source");
        assumeTrue(Files.isExecutable(smtpSource), "Postfix's smtp-source is not installed");
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY))) {
            Process p = new ProcessBuilder(smtpSource.toString(), "-s", "4", "-m", "200", "-r", "2", "-d", "-l", "2048",
                    "-f", "load@bench.test", "-t", "rcpt@sink.test", "127.0.0.1:" + sink.address().getPort())
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "smtp-source did not finish");
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), output);
            SinkCounts counts = awaitOpen(sink, 0);
            assertEquals(200, counts.messages());
            assertEquals(400, counts.recipients());
            assertEquals(200, counts.withoutId());
            assertTrue(counts.connections() >= 4 && counts.connections() < 200, counts.toString());
        }
    }

    static SinkCounts awaitOpen(Sink sink, long open) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.counts().open() != open && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return sink.counts();
    }
}
