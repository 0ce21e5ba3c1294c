package dev.mta.relay.bounce;

import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.events.MailEvents;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.MessageContent;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import dev.mta.testkit.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a DSN returns of the original, and what happens when a null-sender message fails: never a DSN. */
class BounceServiceDoubleBounceTest {
    private static final String HOST = "mta.test";
    private static final MailPath POSTMASTER = new MailPath("postmaster", "admin.test", false);
    private static final Outcome REFUSED = Outcome.failed(EnhancedStatus.of(5, 7, 1), "550 5.7.1 we take no bounces");

    /** Keeps what it is asked to queue; fails when told to. */
    private static final class Queued implements BounceQueue {
        final List<Envelope> envelopes = new ArrayList<>();
        final List<String> contents = new ArrayList<>();
        volatile RuntimeException failWith;

        @Override
        public CompletableFuture<String> enqueue(Envelope envelope, byte[] content) {
            if (failWith != null) {
                return CompletableFuture.failedFuture(failWith);
            }
            envelopes.add(envelope);
            contents.add(new String(content, StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture("NOTICE" + envelopes.size());
        }
    }

    /** Runs reads at once, counting them: the tests see what was read off the caller's thread. */
    private static final class CountingReaders implements Executor {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public void execute(Runnable r) {
            runs.incrementAndGet();
            r.run();
        }
    }

    private final Queued queued = new Queued();
    private final CountingReaders readers = new CountingReaders();

    private BounceService<String> service(MailPath doubleBounceTo, int sizeLimit) {
        return new BounceService<>(HOST, new BounceSettings(doubleBounceTo, sizeLimit), queued, readers, MailEvents.NONE);
    }

    private static List<Outcome> settle(BounceService<String> s, Delivery d, String headers, Outcome... outcomes) {
        s.started(d.messageId());
        return s.finished(new BounceService.Attempt<>("job", d, 1_700_000_000_000L, false, List.of(outcomes)), headers)
                .join().get(0).outcomes();
    }

    /** A DSN of ours (to alice@sender.test), as a queued message: its header section and the whole of it. */
    private static String ourDsn(DsnBuilder.Notice notice) {
        return new String(DsnBuilder.build(notice, HOST, "alice@sender.test", "0000ORIG", ZonedDateTime.now(),
                List.of(new FailedRecipient(new MailPath("bob", "dest.test", false), REFUSED, false)),
                DsnBuilder.Returned.headersOnly("Subject: original\r\n")), StandardCharsets.UTF_8);
    }

    private static String headerSection(String message) {
        return message.substring(0, message.indexOf("\r\n\r\n") + 2);
    }

    private static Delivery nullSender(String message) {
        return TestDeliveries.of("", "", message.getBytes(StandardCharsets.UTF_8), "alice@sender.test");
    }

    @Test
    void aFailedDsnOfOursIsToldOnceToTheDoubleBounceAddressFromTheNullSender() {
        String dsn = ourDsn(DsnBuilder.Notice.BOUNCE);
        BounceService<String> s = service(POSTMASTER, 50_000);
        List<Outcome> out = settle(s, nullSender(dsn), headerSection(dsn), REFUSED);
        assertEquals(List.of(REFUSED), out, "the failure stands: the DSN is dropped");
        assertEquals(1, queued.envelopes.size(), "one notice");
        Envelope e = queued.envelopes.get(0);
        assertTrue(e.sender().isNull(), "from <>: a double bounce never bounces");
        assertEquals(List.of(POSTMASTER), e.recipients());
        String notice = queued.contents.get(0);
        assertTrue(notice.contains("To: <postmaster@admin.test>\r\n"), notice);
        assertTrue(notice.contains("Content-Type: text/rfc822-headers\r\n\r\n" + headerSection(dsn)),
                "the failed DSN's headers: " + notice);
        assertTrue(notice.contains("Final-Recipient: rfc822; alice@sender.test\r\nAction: failed\r\nStatus: 5.7.1\r\n"),
                "why it failed: " + notice);
        assertEquals(BounceMarks.Kind.OUR_DOUBLE_BOUNCE, BounceMarks.of(headerSection(notice), HOST));
        assertEquals(0, readers.runs.get(), "a notice carries headers only: nothing more is read");
    }

    @Test
    void withNoDoubleBounceAddressAFailedDsnIsDroppedWithOneLogLine() {
        String dsn = ourDsn(DsnBuilder.Notice.BOUNCE);
        try (LogCapture log = LogCapture.of(BounceService.class)) {
            Delivery d = nullSender(dsn);
            assertEquals(List.of(REFUSED), settle(service(null, 50_000), d, headerSection(dsn), REFUSED));
            assertEquals(1, log.warningsWith(d.messageId(), "double bounce dropped", "we take no bounces").size(),
                    log.warnings().toString());
        }
        assertTrue(queued.envelopes.isEmpty());
    }

    @Test
    void aFailedDoubleBounceNoticeIsNeverBounced() {
        String notice = ourDsn(DsnBuilder.Notice.DOUBLE_BOUNCE);
        try (LogCapture log = LogCapture.of(BounceService.class)) {
            assertEquals(List.of(REFUSED), settle(service(POSTMASTER, 50_000), nullSender(notice), headerSection(notice),
                    REFUSED));
            assertEquals(1, log.warningsWith("double-bounce notice undeliverable").size(), log.warnings().toString());
        }
        assertTrue(queued.envelopes.isEmpty(), "nothing follows a failed double bounce");
    }

    @Test
    void aClientsNullSenderMailGetsNothingAtAll() {
        // Another MTA's DSN relayed through us: a report, auto-replied, but not made here.
        String foreign = new String(DsnBuilder.build(DsnBuilder.Notice.BOUNCE, "other.test", "alice@sender.test", "X",
                ZonedDateTime.now(), List.of(new FailedRecipient(new MailPath("b", "d.test", false), REFUSED, false)),
                DsnBuilder.Returned.headersOnly("Subject: x\r\n")), StandardCharsets.UTF_8);
        BounceService<String> s = service(POSTMASTER, 50_000);
        assertEquals(List.of(REFUSED), settle(s, nullSender(foreign), headerSection(foreign), REFUSED));
        assertEquals(List.of(REFUSED), settle(s, nullSender("Subject: hi\r\n\r\nbody\r\n"), "Subject: hi\r\n", REFUSED));
        assertTrue(queued.envelopes.isEmpty(), "no DSN and no notice for mail that is not ours");
    }

    @Test
    void aNoticeThatCannotBeQueuedDefersTheFailure() {
        queued.failWith = new IllegalStateException("disk full");
        String dsn = ourDsn(DsnBuilder.Notice.BOUNCE);
        List<Outcome> out = settle(service(POSTMASTER, 50_000), nullSender(dsn), headerSection(dsn), REFUSED);
        assertEquals(Outcome.Kind.DEFERRED, out.get(0).kind(), "tried again later, so the notice is not lost");
    }

    @Test
    void aMessageWithinTheLimitComesBackWholeReadOnTheDiskReaders() {
        String original = "Subject: small\r\nMessage-ID: <s@sender.test>\r\n\r\nthe body\r\n";
        Delivery d = TestDeliveries.of("alice@sender.test", "", original.getBytes(StandardCharsets.US_ASCII), "b@dest.test");
        settle(service(null, original.length()), d, "Subject: small\r\nMessage-ID: <s@sender.test>\r\n", REFUSED);
        String dsn = queued.contents.get(0);
        assertTrue(dsn.contains("Content-Type: message/rfc822\r\n\r\n" + original), dsn);
        assertFalse(dsn.contains("text/rfc822-headers"), dsn);
        assertEquals(1, readers.runs.get(), "read on the disk readers");
        assertEquals(BodyType.SEVEN_BIT, queued.envelopes.get(0).parameters().body());
    }

    @Test
    void anEightBitMessageComesBackWithBody8BitMime() {
        byte[] original = "Subject: hi\r\n\r\nGr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.UTF_8);
        Delivery d = TestDeliveries.of("alice@sender.test", "BODY=8BITMIME", original, "b@dest.test");
        settle(service(null, 50_000), d, "Subject: hi\r\n", REFUSED);
        assertEquals(BodyType.EIGHT_BIT_MIME, queued.envelopes.get(0).parameters().body());
    }

    @Test
    void aMessageBeyondTheLimitComesBackAsHeadersOnlyAndItsBodyIsNeverRead() {
        String headers = "Subject: big\r\n";
        Delivery small = TestDeliveries.of("alice@sender.test", "", new byte[0], "b@dest.test");
        MessageContent huge = new MessageContent() {
            @Override
            public long length() {
                return 10L * 1024 * 1024;
            }

            @Override
            public InputStream openStream() {
                throw new AssertionError("a message beyond the limit is not read");
            }
        };
        Delivery d = new Delivery(small.messageId(), small.sender(), small.parameters(), small.route(),
                small.recipients(), huge);
        settle(service(null, 50_000), d, headers, REFUSED);
        String dsn = queued.contents.get(0);
        assertTrue(dsn.contains("Content-Type: text/rfc822-headers\r\n\r\n" + headers), dsn);
        assertFalse(dsn.contains("message/rfc822"), dsn);
        assertEquals(0, readers.runs.get());
    }
}
