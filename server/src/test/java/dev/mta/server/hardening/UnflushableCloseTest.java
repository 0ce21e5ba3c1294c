package dev.mta.server.hardening;

import dev.mta.testkit.LeakGuard;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.support.NonReadingClient;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sessions whose clients never read: their last reply (here the 421 after the command timeout) can never be
 * sent, and the server must close them anyway instead of waiting on that reply forever, which would hold
 * every connection slot.
 */
@ExtendWith(LeakGuard.class)
class UnflushableCloseTest {
    private static final int CLIENTS = 20;

    @TempDir
    Path spool;

    @Test
    void timedOutSessionsOfNonReadingClientsAreClosed() throws Exception {
        ServerConfig base = TestMta.config(spool);
        List<NonReadingClient> clients = new ArrayList<>();
        try (TestMta mta = TestMta.start(spool, c -> c
                .withLimits(base.maxMessageSize(), base.maxRecipients(), CLIENTS)
                // HELP is junk: the junk-command limit would end these sessions before their timeout, the case here.
                .withMaxJunkCommands(Integer.MAX_VALUE)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5)))) {
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    // HELP, a short command with a long reply, fills the socket buffers with little work.
                    clients.add(NonReadingClient.connect(mta.address(), 4096, "EHLO stuck" + i + ".test\r\n",
                            "HELP\r\n", 16_384, 1L << 20));
                }
                // Each client writes until the server stops taking its bytes (or 1 MB), then sits there.
                NonReadingClient.floodUntilStalled(clients, Duration.ofSeconds(1), Duration.ofSeconds(20));
                // The kernel may have taken the bytes before the server accepted every connection.
                long accepted = System.currentTimeMillis() + 10_000;
                while (mta.mta().smtpServer().openConnections() < CLIENTS && System.currentTimeMillis() < accepted) {
                    Thread.sleep(20);
                }
                assertEquals(CLIENTS, mta.mta().smtpServer().openConnections(), "every flooding client connected");
                try (SmtpTestClient refused = SmtpTestClient.connect(mta.address())) {
                    refused.read().assertReply(421, "4.3.2");
                }

                // The command timeout passes, the 421 cannot be delivered, and the connections go all the same.
                long deadline = System.currentTimeMillis() + 20_000;
                while (mta.mta().smtpServer().openConnections() > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(0, mta.mta().smtpServer().openConnections(), "sessions still open");
                try (SmtpTestClient fresh = SmtpTestClient.connect(mta.address())) {
                    fresh.expect(220);
                    fresh.command("EHLO fresh.test").assertCode(250);
                }
            } finally {
                for (NonReadingClient c : clients) {
                    closeQuietly(c);
                }
            }
        }
    }

    private static void closeQuietly(NonReadingClient c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a socket the server already reset
        }
    }
}
