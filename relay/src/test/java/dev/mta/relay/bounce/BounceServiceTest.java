package dev.mta.relay.bounce;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message rounds: one DSN for all failures of a round, none for a null sender, and deferral when it cannot be queued. */
class BounceServiceTest {
    private static final String HEADERS = "Subject: original\r\n";

    /** Keeps what it is asked to queue; fails when told to. */
    private static final class FakeBounceQueue implements BounceQueue {
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
            return CompletableFuture.completedFuture("BOUNCE" + envelopes.size());
        }
    }

    private final FakeBounceQueue queued = new FakeBounceQueue();
    private final BounceService<String> bounces = new BounceService<>("mta.test", queued);

    private static final Outcome DELIVERED = Outcome.delivered("250 ok");
    private static final Outcome REFUSED = Outcome.failed(EnhancedStatus.of(5, 1, 1), "no such user");
    private static final Outcome BUSY = Outcome.deferred(EnhancedStatus.of(4, 2, 1), "busy");

    /** Two jobs (two routes) of one message, as the dispatcher hands them out. */
    private static Delivery[] oneMessage(String sender) {
        Delivery first = TestDeliveries.of(sender, "", "x\r\n".getBytes(StandardCharsets.US_ASCII), "a@one.test", "b@one.test");
        Delivery second = new Delivery(first.messageId(), first.sender(), first.parameters(), first.route(),
                List.of(TestDeliveries.of(sender, "", new byte[0], "c@two.test").recipients().get(0)), first.content());
        return new Delivery[]{first, second};
    }

    private static BounceService.Attempt<String> attempt(String job, Delivery d, boolean expired, Outcome... outcomes) {
        return new BounceService.Attempt<>(job, d, 1_700_000_000_000L, expired, List.of(outcomes));
    }

    private static List<Outcome.Kind> kinds(List<Outcome> os) {
        return os.stream().map(Outcome::kind).collect(Collectors.toList());
    }

    @Test
    void oneDsnCoversEveryFailureOfTheRoundAndOutcomesWaitForTheLastJob() {
        Delivery[] m = oneMessage("sender@example.com");
        bounces.started(m[0].messageId());
        bounces.started(m[1].messageId());

        List<BounceService.Report<String>> early = bounces.finished(attempt("j1", m[0], false, DELIVERED, REFUSED), HEADERS).join();
        assertTrue(early.isEmpty(), "nothing is reported while another job of the message is under way");
        assertTrue(queued.envelopes.isEmpty(), "and nothing is bounced yet");

        List<BounceService.Report<String>> reports = bounces.finished(attempt("j2", m[1], false, REFUSED), HEADERS).join();
        assertEquals(1, queued.envelopes.size(), "one DSN for the round");
        Envelope e = queued.envelopes.get(0);
        assertTrue(e.sender().isNull(), "a bounce has the null sender");
        assertEquals(List.of(m[0].sender()), e.recipients());
        String dsn = queued.contents.get(0);
        assertTrue(dsn.contains("Final-Recipient: rfc822; b@one.test"), dsn);
        assertTrue(dsn.contains("Final-Recipient: rfc822; c@two.test"), dsn);
        assertTrue(!dsn.contains("Final-Recipient: rfc822; a@one.test"), "the delivered recipient is not in it");
        assertTrue(dsn.contains(HEADERS), "the original headers are attached");

        assertEquals(List.of("j1", "j2"), reports.stream().map(BounceService.Report::job).collect(Collectors.toList()));
        assertEquals(List.of(DELIVERED, REFUSED), reports.get(0).outcomes(), "outcomes reported as they were");
        assertEquals(List.of(REFUSED), reports.get(1).outcomes());
    }

    @Test
    void aNewRoundOfTheSameMessageGetsItsOwnDsn() {
        Delivery[] m = oneMessage("sender@example.com");
        for (int round = 1; round <= 2; round++) {
            bounces.started(m[0].messageId());
            assertEquals(1, bounces.finished(attempt("j", m[0], false, REFUSED, BUSY), HEADERS).join().size());
            assertEquals(round, queued.envelopes.size());
        }
    }

    @Test
    void noBounceOfABounce() {
        Delivery[] m = oneMessage("");
        assertTrue(m[0].sender().isNull());
        bounces.started(m[0].messageId());
        List<BounceService.Report<String>> reports = bounces.finished(attempt("j", m[0], false, REFUSED, REFUSED), HEADERS).join();
        assertTrue(queued.envelopes.isEmpty(), "no DSN to the null sender");
        assertEquals(List.of(REFUSED, REFUSED), reports.get(0).outcomes(), "the failures stand: they are dropped");
    }

    @Test
    void nothingFailedNothingBounced() {
        Delivery[] m = oneMessage("sender@example.com");
        bounces.started(m[0].messageId());
        List<BounceService.Report<String>> reports = bounces.finished(attempt("j", m[0], false, DELIVERED, BUSY), HEADERS).join();
        assertTrue(queued.envelopes.isEmpty());
        assertEquals(List.of(DELIVERED, BUSY), reports.get(0).outcomes());
    }

    @Test
    void aBounceThatCannotBeQueuedDefersTheFailuresInstead() {
        queued.failWith = new IllegalStateException("disk full");
        Delivery[] m = oneMessage("sender@example.com");
        bounces.started(m[0].messageId());
        List<BounceService.Report<String>> reports = bounces.finished(attempt("j", m[0], false, DELIVERED, REFUSED), HEADERS).join();
        List<Outcome> out = reports.get(0).outcomes();
        assertEquals(List.of(Outcome.Kind.DELIVERED, Outcome.Kind.DEFERRED), kinds(out));
        assertEquals(DELIVERED, out.get(0));
        assertEquals("4.3.0 bounce not queued; " + REFUSED.detail(), out.get(1).detail());
        assertEquals(EnhancedStatus.of(4, 3, 0), out.get(1).status());
    }

    @Test
    void anExpiredMessageIsReportedAsExpiredInTheDsn() {
        Delivery[] m = oneMessage("sender@example.com");
        bounces.started(m[0].messageId());
        Outcome lastProblem = BUSY.as(Outcome.Kind.FAILED);
        bounces.finished(attempt("j", m[0], true, lastProblem, lastProblem), HEADERS).join();
        String dsn = queued.contents.get(0);
        assertTrue(dsn.contains("Status: 4.2.1"), "the last real problem's status: " + dsn);
        assertTrue(dsn.contains("Action: failed"), dsn);
    }
}
