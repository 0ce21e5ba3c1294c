package dev.mta.server.admission;

import dev.mta.queue.FatalErrorHandler;
import dev.mta.server.Mta;
import dev.mta.server.config.RelayControl;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-client limits over real sockets: past its connections open or its connections a minute, a client gets
 * 421 4.7.0 instead of a greeting while others are served; under a greeting pause a client that talks first gets
 * 554 and the close, and one that waits is greeted.
 */
class PerClientLimitsTest {
    @TempDir
    Path spool;

    private Mta start(ClientLimits limits) throws Exception {
        ServerConfig config = TestMta.config(spool);
        return Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY, TlsSettings.DEFAULT, AuthSettings.NONE,
                limits);
    }

    @Test
    void connectionsBeyondTheClientsLimitGet421AndComeBackWhenOneCloses() throws Exception {
        Mta mta = start(new ClientLimits(3, 0, List.of(), Duration.ZERO));
        List<SmtpTestClient> open = new ArrayList<>();
        try {
            InetSocketAddress a = mta.smtpAddress();
            for (int i = 0; i < 3; i++) {
                open.add(SmtpTestClient.greeted(a));
            }
            try (SmtpTestClient fourth = SmtpTestClient.connect(a)) {
                fourth.read().assertReply(421, "4.7.0");
                assertTrue(fourth.closedByServer());
            }
            open.get(0).command("QUIT").assertCode(221);
            open.get(0).closedByServer();
            awaitOpen(mta, 2);
            try (SmtpTestClient again = SmtpTestClient.connect(a)) {
                again.read().assertCode(220);
                again.command("EHLO client.example").assertCode(250);
            }
            open.get(1).command("NOOP").assertCode(250); // the sessions let in go on
        } finally {
            for (SmtpTestClient c : open) {
                c.close();
            }
            mta.close();
        }
    }

    @Test
    void connectionsFasterThanTheRateGet421() throws Exception {
        Mta mta = start(new ClientLimits(0, 5, List.of(), Duration.ZERO));
        try {
            InetSocketAddress a = mta.smtpAddress();
            for (int i = 0; i < 5; i++) {
                try (SmtpTestClient c = SmtpTestClient.greeted(a)) {
                    c.command("QUIT").assertCode(221);
                }
            }
            try (SmtpTestClient sixth = SmtpTestClient.connect(a)) {
                sixth.read().assertReply(421, "4.7.0");
                assertTrue(sixth.closedByServer());
            }
        } finally {
            mta.close();
        }
    }

    @Test
    void exemptClientsAreNotCounted() throws Exception {
        Mta mta = start(new ClientLimits(1, 1, RelayControl.networks("127.0.0.0/8"), Duration.ZERO));
        List<SmtpTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(SmtpTestClient.greeted(mta.smtpAddress()));
            }
        } finally {
            for (SmtpTestClient c : open) {
                c.close();
            }
            mta.close();
        }
    }

    @Test
    void aClientThatTalksBeforeTheGreetingIsRefused() throws Exception {
        Mta mta = start(new ClientLimits(0, 0, List.of(), Duration.ofMillis(800)));
        try {
            try (SmtpTestClient early = SmtpTestClient.connect(mta.smtpAddress())) {
                early.send("EHLO bot.example\r\nMAIL FROM:<spam@bot.example>\r\n");
                early.read().assertReply(554, "5.5.0");
                assertTrue(early.closedByServer());
            }
            try (SmtpTestClient patient = SmtpTestClient.connect(mta.smtpAddress())) {
                long start = System.nanoTime();
                patient.read().assertCode(220);
                assertTrue(System.nanoTime() - start >= Duration.ofMillis(700).toNanos(), "greeted after the pause");
                patient.command("EHLO client.example").assertCode(250);
                patient.command("MAIL FROM:<a@client.example>").assertCode(250);
            }
        } finally {
            mta.close();
        }
    }

    private static void awaitOpen(Mta mta, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (mta.smtpServer().openConnections() > n && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, mta.smtpServer().openConnections());
    }
}
