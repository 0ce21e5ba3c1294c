package dev.mta.server.durability;

import dev.mta.server.FaultyMtaMain;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread the MTA cannot live without dies: the process says so and exits with status 70, so that a supervisor
 * restarts it, instead of living on without accepting or queueing mail.
 */
class FatalFailureTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"writer-oom", "kill-acceptor"})
    void theProcessExitsNonZeroWhenAVitalThreadDies(String trigger) throws Exception {
        Path triggers = Files.createDirectories(dir.resolve("triggers"));
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        Process mta = FaultyMtaMain.launch(triggers, port, dir.resolve("spool"), log, "--no-relay");
        try {
            MtaProcess.awaitListening(port);
            Files.createFile(triggers.resolve(trigger));
            if (trigger.equals("writer-oom")) {
                queueOne(port); // the writer meets the fault at this message's fsync
            }
            boolean exited = mta.waitFor(20, TimeUnit.SECONDS);
            assertTrue(exited, "the process exits by itself; its log: " + Files.readString(log));
            assertEquals(70, mta.exitValue(), Files.readString(log));
            assertTrue(Files.readString(log).contains("cannot go on without it; exiting with status 70"),
                "the log says why (" + Files.size(log) + " bytes): " + Files.readString(log));
        } finally {
            mta.destroyForcibly();
        }
    }

    private static void queueOne(int port) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
            c.command("MAIL FROM:<a@example.com>").assertCode(250);
            c.command("RCPT TO:<b@example.net>").assertCode(250);
            c.command("DATA").assertCode(354);
            c.send("Subject: x\r\n\r\nhello\r\n.\r\n");
            c.read(); // the server is going away: whatever comes, or nothing
        } catch (IOException expected) {
            // connection dropped as the process exits
        }
    }
}
