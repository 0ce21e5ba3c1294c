package dev.mta.server.events;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event stream tells what happened on a real connection, in order, with the facts the log and metrics need. */
class MailEventsTest {
    @TempDir
    Path dir;

    /** Records every event as it comes. */
    static final class Recorder implements MailEvents {
        final List<Object> seen = new CopyOnWriteArrayList<>();

        @Override
        public void connectionOpened(MailEvent.ConnectionOpened e) {
            seen.add(e);
        }

        @Override
        public void connectionClosed(MailEvent.ConnectionClosed e) {
            seen.add(e);
        }

        @Override
        public void messageQueued(MailEvent.MessageQueued e) {
            seen.add(e);
        }
    }

    @Test
    void aSessionReportsItsConnectionAndTheMessageItQueued() throws Exception {
        Recorder r = new Recorder();
        try (TestMta mta = TestMta.start(dir.resolve("spool"))) {
            mta.mta().events().subscribe(r);
            String id;
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<alice@sender.example>").assertCode(250);
                c.command("RCPT TO:<bob@dest.example>").assertCode(250);
                c.command("RCPT TO:<carol@dest.example>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: events\r\n\r\nhello\r\n.\r\n");
                id = TestMta.queueId(c.read());
                c.command("QUIT").assertCode(221);
            }
            Await.until(() -> r.seen.size() == 3, "three events");
            assertTrue(r.seen.get(0) instanceof MailEvent.ConnectionOpened, r.seen.toString());
            MailEvent.MessageQueued q = (MailEvent.MessageQueued) r.seen.get(1);
            assertEquals(id, q.id());
            assertEquals("alice@sender.example", q.sender().address());
            assertEquals(2, q.recipients());
            assertEquals("Subject: events\r\n\r\nhello\r\n".length(), q.size());
            assertTrue(q.commitNanos() > 0);
            assertEquals("127.0.0.1", q.client().getHostAddress());
            MailEvent.ConnectionClosed closed = (MailEvent.ConnectionClosed) r.seen.get(2);
            assertEquals(1, closed.messages());
        }
    }
}
