package dev.mta.server;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import dev.mta.relay.RelaySettings;
import dev.mta.server.config.HostPort;
import dev.mta.server.support.LogFile;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several addresses per kind of listener: each answers, each is logged, and each is ourselves to the relay. */
class ListenersTest {
    @TempDir
    Path dir;

    @Test
    void everyListedAddressAnswersInTheRealProcess() throws Exception {
        int smtp1 = MtaProcess.freePort();
        int smtp2 = MtaProcess.freePort();
        int sub1 = MtaProcess.freePort();
        int sub2 = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        // Lists on the command line and in the --config file alike.
        Path conf = java.nio.file.Files.writeString(dir.resolve("mta.conf"),
                "submission-listen = 127.0.0.1:" + sub1 + ", 127.0.0.1:" + sub2 + "\nno-relay = true\n");
        Process p = new ProcessBuilder(MtaProcess.command(List.of("-Xmx256m", "-Dlogback.configurationFile=logback.xml"),
                List.of("--smtp-listen", "127.0.0.1:" + smtp1 + ", 127.0.0.1:" + smtp2, "--spool",
                        dir.resolve("spool").toString(), "--hostname", TestMta.HOSTNAME, "--config", conf.toString())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            MtaProcess.awaitListening(smtp1);
            for (int port : new int[]{smtp1, smtp2, sub1, sub2}) {
                try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
                    c.command("MAIL FROM:<me@example.net>").assertCode(port == sub1 || port == sub2 ? 530 : 250);
                }
            }
            for (int port : new int[]{smtp1, smtp2}) {
                assertTrue(LogFile.awaitLine(log, "SMTP listening on 127.0.0.1:" + port + " as mx.test").contains("INFO"));
            }
            for (int port : new int[]{sub1, sub2}) {
                LogFile.awaitLine(log, "submission listening on 127.0.0.1:" + port + " as mx.test");
            }
            assertTrue(LogFile.awaitLine(log, "relay: ").endsWith("relay: off (--no-relay): mail is queued, not delivered"));
            assertTrue(LogFile.awaitLine(log, "StartLog - hostname ").endsWith("hostname mx.test"));
            assertTrue(LogFile.awaitLine(log, "StartLog - spool ").endsWith("spool " + dir.resolve("spool").toAbsolutePath()));
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void mailRoutedToOurSecondListenerIsALoop() throws Exception {
        int second = MtaProcess.freePort();
        InetSocketAddress secondAddress = new InetSocketAddress("127.0.0.1", second);
        List<InetSocketAddress> two = List.of(new InetSocketAddress("127.0.0.1", 0), secondAddress);
        // Everything goes to the smarthost at our own second listener: delivering there would deliver to ourselves.
        try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withSmtpListeners(two)
                .withRelay(RelaySettings.smarthost(secondAddress)))) {
            List<InetSocketAddress> bound = mta.mta().smtpServer().localAddresses();
            assertEquals(List.of(mta.address(), secondAddress), bound);
            CompletableFuture<MailEvent.DeliveryAttempted> attempt = new CompletableFuture<>();
            mta.mta().events().subscribe(new MailEvents() {
                @Override
                public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
                    attempt.complete(e);
                }
            });
            try (SmtpTestClient c = SmtpTestClient.greeted(secondAddress)) {
                c.command("MAIL FROM:<>").assertCode(250);
                c.command("RCPT TO:<someone@elsewhere.example>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: loop\r\n\r\nbody\r\n.\r\n");
                TestMta.queueId(c.read());
            }
            MailEvent.DeliveryAttempted e = attempt.get(20, TimeUnit.SECONDS);
            assertEquals("5.4.6", e.outcome().status().toString(), e.toString());
            assertTrue(e.outcome().text().contains("loops back to myself"), e.toString());
            // Known by its address before connecting, not only by the greeting once connected.
            assertTrue(!e.outcome().text().contains("greets as"), e.toString());
        }
    }

    @Test
    void listsAreCommaSeparatedAndRefuseRepeats() {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 25), new InetSocketAddress("::1", 25)),
                HostPort.parseList("127.0.0.1:25, [::1]:25"));
        assertEquals(List.of(new InetSocketAddress(25)), HostPort.parseList(":25"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPort.parseList("127.0.0.1:25,127.0.0.1:25"))
                .getMessage().contains("given twice"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parseList("127.0.0.1:25,"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parseList(""));
    }
}
