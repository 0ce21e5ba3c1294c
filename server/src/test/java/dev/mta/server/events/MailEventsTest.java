package dev.mta.server.events;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import dev.mta.server.support.Await;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.relay.RelaySettings;
import dev.mta.testkit.ScriptedSmtpServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
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

        @Override
        public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
            seen.add(e);
        }

        @Override
        public void bounced(MailEvent.Bounced e) {
            seen.add(e);
        }

        @Override
        public void messageRemoved(MailEvent.MessageRemoved e) {
            seen.add(e);
        }

        <T> List<T> of(Class<T> type) {
            return seen.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
        }
    }

    @Test
    void aSessionReportsItsConnectionAndTheMessageItQueued() throws Exception {
        Recorder r = new Recorder();
        try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(RelaySettings.OFF))) {
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
            Thread.sleep(200);
            assertEquals(3, r.seen.size(), "relay off: nothing else happens " + r.seen);
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

    @Test
    void anOperatorsDeleteIsTold() throws Exception {
        Recorder r = new Recorder();
        try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(RelaySettings.OFF))) {
            mta.mta().events().subscribe(r);
            String id;
            try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                c.command("MAIL FROM:<alice@sender.example>").assertCode(250);
                c.command("RCPT TO:<bob@dest.example>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: delete me\r\n\r\nhello\r\n.\r\n");
                id = TestMta.queueId(c.read());
            }
            assertTrue(mta.mta().queue().admin().delete(id).get());
            List<MailEvent.MessageRemoved> removed = r.of(MailEvent.MessageRemoved.class);
            assertEquals(1, removed.size());
            assertEquals(id, removed.get(0).id());
            assertEquals(MailEvent.MessageRemoved.Reason.DELETED, removed.get(0).reason());
        }
    }

    @Test
    void deliveryAttemptsAndTheBounceAreTold() throws Exception {
        Recorder r = new Recorder();
        try (ScriptedSmtpServer peer = new ScriptedSmtpServer()) {
            peer.rcptReply = rcpt -> rcpt.startsWith("bad") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
            RelaySettings s = RelaySettings.smarthost(peer.address());
            try (TestMta mta = TestMta.start(dir.resolve("spool"), c -> c.withRelay(new RelaySettings(true,
                    s.transportMap(), null, 25, 10, 5, Duration.ofSeconds(1), 50)))) {
                mta.mta().events().subscribe(r);
                String id;
                try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                    c.command("MAIL FROM:<alice@sender.example>").assertCode(250);
                    c.command("RCPT TO:<good@dest.example>").assertCode(250);
                    c.command("RCPT TO:<bad@dest.example>").assertCode(250);
                    c.command("DATA").assertCode(354);
                    c.send("Subject: events\r\n\r\nhello\r\n.\r\n");
                    id = TestMta.queueId(c.read());
                }
                Await.until(() -> r.of(MailEvent.Bounced.class).size() == 1 && mta.queuedCount() == 0,
                        "delivery, bounce and its delivery");
                List<MailEvent.DeliveryAttempted> mine = r.of(MailEvent.DeliveryAttempted.class).stream()
                        .filter(a -> a.id().equals(id)).collect(Collectors.toList());
                assertEquals(2, mine.size(), mine.toString());
                assertEquals("good@dest.example", mine.get(0).recipient().address());
                assertEquals(Outcome.Kind.DELIVERED, mine.get(0).outcome().kind());
                assertEquals(Route.smtp("dest.example"), mine.get(0).route());
                assertEquals(Outcome.Kind.FAILED, mine.get(1).outcome().kind());
                assertEquals(550, mine.get(1).outcome().replyCode());
                MailEvent.Bounced b = r.of(MailEvent.Bounced.class).get(0);
                assertEquals(id, b.id());
                assertEquals(1, b.recipients());
                List<MailEvent.DeliveryAttempted> bounce = r.of(MailEvent.DeliveryAttempted.class).stream()
                        .filter(a -> a.id().equals(b.bounceId())).collect(Collectors.toList());
                assertEquals(1, bounce.size(), "the bounce is delivered like any message: " + r.seen);
                assertEquals("alice@sender.example", bounce.get(0).recipient().address());
                assertEquals(Outcome.Kind.DELIVERED, bounce.get(0).outcome().kind());
                MailEvent.MessageQueued made = r.of(MailEvent.MessageQueued.class).stream()
                        .filter(q -> q.id().equals(b.bounceId())).findFirst().orElseThrow();
                assertTrue(made.sender().isNull(), "a bounce is from <>");
                assertEquals(null, made.client(), "made here, by no client");
                Await.until(() -> r.of(MailEvent.MessageRemoved.class).size() == 2, "both messages to leave the queue");
                assertEquals(List.of(id, b.bounceId()), r.of(MailEvent.MessageRemoved.class).stream()
                        .map(MailEvent.MessageRemoved::id).sorted().collect(Collectors.toList()));
                assertTrue(r.of(MailEvent.MessageRemoved.class).stream()
                        .allMatch(m -> m.reason() == MailEvent.MessageRemoved.Reason.DONE));
            }
        }
    }
}
