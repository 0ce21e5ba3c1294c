package dev.mta.server.durability;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.QueueConfig;
import dev.mta.testkit.ScriptedSmtpServer;
import dev.mta.server.config.HostPort;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our MTA is killed (SIGKILL, a real process) the moment the next hop says 250, before it can record the delivery.
 * After a restart the recipient may get the message twice, never zero times, and the queue ends empty.
 */
class CrashAfterRemoteAcceptTest {
    @TempDir
    Path dir;

    @Test
    void deliveredAtLeastOnceAcrossACrash() throws Exception {
        Path spool = dir.resolve("spool");
        int messages = 5;
        try (ScriptedSmtpServer peer = new ScriptedSmtpServer()) {
            AtomicReference<Process> mta = new AtomicReference<>();
            peer.afterAccept = () -> {
                Process p = mta.get();
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                }
            };
            // Queue the messages with the relay off, then start a relaying MTA that will die at its first 250.
            int port = MtaProcess.freePort();
            Process queueing = start(port, spool, null, dir.resolve("queueing.log"));
            MtaProcess.awaitListening(port);
            try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
                for (int i = 0; i < messages; i++) {
                    c.command("MAIL FROM:<>").assertCode(250);
                    c.command("RCPT TO:<r" + i + "@dest.test>").assertCode(250);
                    c.command("DATA").assertCode(354);
                    c.send("Subject: " + i + "\r\n\r\nbody\r\n.\r\n");
                    TestMta.queueId(c.read());
                }
            }
            queueing.destroy();
            assertTrue(queueing.waitFor(20, TimeUnit.SECONDS));

            mta.set(start(port, spool, peer.address(), dir.resolve("crashing.log")));
            assertTrue(mta.get().waitFor(30, TimeUnit.SECONDS), "killed at the first remote 250");
            assertTrue(peer.received.size() >= 1);

            // Restart for good; everything still due gets delivered.
            peer.afterAccept = () -> { };
            Process again = start(port, spool, peer.address(), dir.resolve("again.log"));
            try {
                long deadline = System.currentTimeMillis() + 30_000;
                while (distinctRecipients(peer) < messages && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                again.destroy();
                again.waitFor(20, TimeUnit.SECONDS);
            }
            assertEquals(messages, distinctRecipients(peer), "every recipient got its message at least once");
            assertTrue(peer.received.size() <= messages + 1, "at most the one in flight at the crash twice");
            try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(spool))) {
                assertEquals(0, q.size(), "nothing left to deliver");
            }
        }
    }

    private static long distinctRecipients(ScriptedSmtpServer peer) {
        return peer.received.stream().flatMap(r -> r.rcptTo().stream()).distinct().count();
    }

    private static Process start(int port, Path spool, InetSocketAddress relayTo, Path log) throws IOException {
        List<String> args = relayTo == null ? List.of("--no-relay", "--shutdown-grace", "1")
                : List.of("--shutdown-grace", "1", "--transport-map", "*=" + HostPort.format(relayTo),
                "--max-outbound-connections", "1");
        return MtaProcess.start(port, spool, log, args);
    }
}
