package dev.mta.bench.sink;

import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals by share, delays per phase, dropped connections and the one stall, over real sockets. */
@ExtendWith(LeakGuard.class)
class SinkFaultsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void rcptFailureSharesAreHonouredOver1000Rcpts() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY).withRcptFailures(10, 5).withSeed(42));
             SinkTestClient client = new SinkTestClient(sink.address())) {
            client.reply();
            client.command("EHLO load.test");
            int temp = 0;
            int perm = 0;
            for (int m = 0; m < 10; m++) {
                client.command("MAIL FROM:<load@bench.test>");
                for (int r = 0; r < 100; r++) {
                    int code = client.command("RCPT TO:<r" + r + "@sink.test>");
                    temp += code == 451 ? 1 : 0;
                    perm += code == 550 ? 1 : 0;
                }
                client.command("RSET");
            }
            assertTrue(temp >= 50 && temp <= 150, "451s: " + temp);
            assertTrue(perm >= 20 && perm <= 90, "550s: " + perm);
            assertEquals(temp, sink.counts().rcptTempFailed());
            assertEquals(perm, sink.counts().rcptPermFailed());
        }
    }

    @Test
    void dataFailureSharesAreHonouredAndRefusedMessagesAreNotCounted() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY).withDataFailures(20, 10).withSeed(7));
             SinkTestClient client = new SinkTestClient(sink.address())) {
            client.reply();
            client.command("EHLO load.test");
            int ok = 0;
            int temp = 0;
            int perm = 0;
            for (int m = 0; m < 400; m++) {
                int code = client.send("d" + m, 1);
                ok += code == 250 ? 1 : 0;
                temp += code == 451 ? 1 : 0;
                perm += code == 554 ? 1 : 0;
            }
            assertEquals(400, ok + temp + perm);
            assertTrue(temp >= 40 && temp <= 120, "451s: " + temp);
            assertTrue(perm >= 15 && perm <= 70, "554s: " + perm);
            assertEquals(ok, sink.counts().messages());
            assertEquals(ok, sink.receivedIds().size());
        }
    }

    @Test
    void theSameSeedRefusesTheSameRcpts() throws Exception {
        assertEquals(rcptCodes(99), rcptCodes(99));
    }

    private static List<Integer> rcptCodes(long seed) throws Exception {
        List<Integer> codes = new ArrayList<>();
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY).withRcptFailures(30, 20).withSeed(seed));
             SinkTestClient client = new SinkTestClient(sink.address())) {
            client.reply();
            client.command("EHLO load.test");
            client.command("MAIL FROM:<load@bench.test>");
            for (int r = 0; r < 50; r++) {
                codes.add(client.command("RCPT TO:<r@sink.test>"));
            }
        }
        assertTrue(codes.contains(250) && codes.contains(451) && codes.contains(550), codes.toString());
        return codes;
    }

    @Test
    void delaysAreAppliedPerPhase() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY).withDelays(300, 200, 250))) {
            long t0 = System.nanoTime();
            try (SinkTestClient client = new SinkTestClient(sink.address())) {
                assertEquals(220, client.reply());
                assertAtLeast(300, t0);
                client.command("EHLO load.test");
                client.command("MAIL FROM:<load@bench.test>");
                long t1 = System.nanoTime();
                assertEquals(250, client.command("RCPT TO:<r@sink.test>"));
                assertAtLeast(200, t1);
                assertEquals(354, client.command("DATA"));
                long t2 = System.nanoTime();
                client.write(SinkTestClient.message("slow"));
                assertEquals(250, client.reply());
                assertAtLeast(250, t2);
            }
        }
    }

    @Test
    void pipelinedCommandsWaitInOrderBehindADelayedReply() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY).withDelays(0, 100, 0));
             SinkTestClient client = new SinkTestClient(sink.address())) {
            client.reply();
            client.command("EHLO load.test");
            long t0 = System.nanoTime();
            client.write("MAIL FROM:<a@b.test>\r\nRCPT TO:<1@s.test>\r\nRCPT TO:<2@s.test>\r\nDATA\r\n"
                    + SinkTestClient.message("p1") + "QUIT\r\n");
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                codes.add(client.reply());
            }
            assertEquals(List.of(250, 250, 250, 354, 250, 221), codes);
            assertAtLeast(200, t0);
            assertEquals(2, sink.counts().recipients());
            assertEquals(1, sink.receivedIds().get("p1"));
        }
    }

    @Test
    void dropsAShareOfConnectionsMidTransaction() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY).withDrops(50).withSeed(3))) {
            int dropped = 0;
            for (int c = 0; c < 40; c++) {
                try (SinkTestClient client = new SinkTestClient(sink.address())) {
                    client.reply();
                    client.command("EHLO load.test");
                    int code = client.send("c" + c, 1);
                    dropped += code == -1 ? 1 : 0;
                    assertTrue(code == 250 || code == -1, "code " + code);
                }
            }
            assertTrue(dropped >= 8 && dropped <= 32, "dropped " + dropped);
            assertEquals(dropped, sink.counts().dropped());
            assertEquals(40 - dropped, sink.counts().messages());
        }
    }

    @Test
    void stallsOnceAfterNMessages() throws Exception {
        try (Sink sink = Sink.start(SinkSettings.acceptAll(ANY).withStall(3, 800));
             SinkTestClient client = new SinkTestClient(sink.address())) {
            client.reply();
            client.command("EHLO load.test");
            assertEquals(250, client.send("s1", 1));
            assertEquals(250, client.send("s2", 1));
            long t0 = System.nanoTime();
            assertEquals(250, client.send("s3", 1)); // the third message starts the stall: its 250 waits
            assertAtLeast(800, t0);
            long t1 = System.nanoTime();
            assertEquals(250, client.send("s4", 1));
            assertTrue(System.nanoTime() - t1 < 700_000_000L, "the stall happens once");
        }
    }

    private static void assertAtLeast(long ms, long sinceNanos) {
        long tookMs = (System.nanoTime() - sinceNanos) / 1_000_000;
        assertTrue(tookMs >= ms - 5, "took " + tookMs + " ms, expected at least " + ms); // 5 ms: timer granularity
    }
}
