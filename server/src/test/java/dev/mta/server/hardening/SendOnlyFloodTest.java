package dev.mta.server.hardening;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.NonReadingClient;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that pipelines commands without end and never reads the replies. The server must stop reading it
 * while its replies cannot leave, so the session's memory stays bounded: an MTA with a 64 MB heap survives a
 * flood of 64 MB of NOOPs and serves other clients meanwhile.
 */
class SendOnlyFloodTest {
    private static final long CAP = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void aClientThatNeverReadsIsHeldOffAndOthersAreServed() throws Exception {
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        // A heap this small dies within seconds if replies pile up; exiting on OOM makes that plain to see.
        // NOOP is junk: the junk-command limit would end this session long before its memory could matter.
        Process mta = MtaProcess.start(port, dir.resolve("spool"), log,
                List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--no-relay", "--max-junk-commands", String.valueOf(Integer.MAX_VALUE)));
        try {
            MtaProcess.awaitListening(port);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (NonReadingClient flood = NonReadingClient.connect(address, 4096, "EHLO flood.test\r\n", "NOOP\r\n",
                    131_072, CAP)) {
                boolean stalled = NonReadingClient.floodUntilStalled(List.of(flood), Duration.ofSeconds(2),
                        Duration.ofSeconds(30));
                long took = flood.written();
                System.out.printf("flood: the server took %,d bytes, then stalled=%s%n", took, stalled);
                assertFalse(flood.writeFailed(), () -> "the server dropped the flooding client: " + tail(log));
                assertTrue(stalled, () -> "the server kept reading: " + took + " bytes; " + tail(log));
                // Socket buffers on both sides hold a few MB; anything near the cap means the server kept reading.
                assertTrue(took < CAP / 4, () -> "the server took " + took + " bytes before the writes stalled");

                // The flood is still connected; another client is served in full.
                try (SmtpTestClient c = SmtpTestClient.greeted(address)) {
                    c.command("MAIL FROM:<a@example.com>").assertReply(250, "2.1.0");
                    c.command("RCPT TO:<b@example.com>").assertReply(250, "2.1.5");
                    c.command("DATA").assertCode(354);
                    c.send("Subject: during the flood\r\n\r\nstill served\r\n.\r\n");
                    TestMta.queueId(c.read());
                }
                assertTrue(mta.isAlive());
            }
            assertFalse(Files.readString(log).contains("java.lang.OutOfMemoryError"), () -> tail(log));
        } finally {
            mta.destroy();
            if (!mta.waitFor(20, TimeUnit.SECONDS)) {
                mta.destroyForcibly();
            }
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
