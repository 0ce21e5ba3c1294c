package dev.mta.server.peers;

import dev.mta.server.support.SpooledMessage;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Postfix's own load generator, smtp-source, with concurrent sessions: every message must be queued whole. */
@ExtendWith(LeakGuard.class)
class SmtpSourceTest {
    @TempDir
    Path spool;

    private static void smtpSource(TestMta mta, String... options) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Peers.require("smtp-source")));
        cmd.addAll(List.of(options));
        cmd.add("127.0.0.1:" + mta.address().getPort());
        ProcessRunner.Result r = ProcessRunner.run(cmd, 120);
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void concurrentSessionsOneMessageEach() throws Exception {
        try (TestMta mta = TestMta.start(spool)) {
            smtpSource(mta, "-s", "20", "-m", "200", "-l", "10240", "-f", "from@example.com", "-t", "to@example.com");
            List<SpooledMessage> all = mta.queued();
            assertEquals(200, all.size());
            for (SpooledMessage m : all) {
                assertEquals(List.of("to@example.com"), m.envelope().recipients());
                assertEquals("from@example.com", m.envelope().reversePath());
                byte[] body = TestMta.withoutReceived(m.body());
                assertTrue(body.length >= 10240, "size " + body.length);
                assertTrue(new String(body, StandardCharsets.US_ASCII).endsWith("\r\n"));
            }
        }
    }

    @Test
    void reusedConnectionsManyRecipients() throws Exception {
        try (TestMta mta = TestMta.start(spool)) {
            // -d: many messages per connection; -r 5: five recipients per message.
            smtpSource(mta, "-d", "-s", "5", "-m", "100", "-r", "5", "-l", "2048", "-f", "from@example.com",
                    "-t", "to@example.com");
            List<SpooledMessage> all = mta.queued();
            assertEquals(100, all.size());
            all.forEach(m -> assertEquals(5, m.envelope().recipients().size()));
        }
    }
}
