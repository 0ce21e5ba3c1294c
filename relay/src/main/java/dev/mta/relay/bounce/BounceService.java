package dev.mta.relay.bounce;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.transport.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounces by message round: the jobs of one message under way together wait for the last of them, so that one DSN
 * covers every recipient of the message that failed for good in the round (never for a null sender: no bounce of
 * a bounce). Only then are the outcomes released for reporting, so a failed recipient is dropped only once its
 * bounce is queued; if the bounce cannot be queued, those recipients are deferred instead.
 *
 * @param <J> the caller's handle of a job, given back with its outcomes to report
 */
public final class BounceService<J> {
    private static final Logger log = LoggerFactory.getLogger(BounceService.class);

    /** What one job did: the delivery, the message's arrival and expiry, and one outcome per recipient. */
    public record Attempt<J>(J job, Delivery delivery, long arrivalMillis, boolean expired, List<Outcome> outcomes) {
    }

    /** Outcomes ready to report for one job. */
    public record Report<J>(J job, List<Outcome> outcomes) {
    }

    /** The jobs of one message that are under way, and the finished ones waiting for the last. */
    private static final class Round<J> {
        int running;
        final List<Attempt<J>> finished = new ArrayList<>();
    }

    private final String hostname;
    private final BounceQueue bounces;
    private final MailEvents events;
    private final Map<String, Round<J>> rounds = new ConcurrentHashMap<>();

    /** @param hostname our name: the DSN's Reporting-MTA and the bounce's HELO name */
    public BounceService(String hostname, BounceQueue bounces) {
        this(hostname, bounces, MailEvents.NONE);
    }

    /** @param events hears each bounce queued (the mail log writes it) */
    public BounceService(String hostname, BounceQueue bounces, MailEvents events) {
        this.hostname = hostname;
        this.bounces = bounces;
        this.events = events;
    }

    /** A job of message {@code messageId} starts: the round waits for it. */
    public void started(String messageId) {
        rounds.compute(messageId, (id, r) -> {
            Round<J> round = r == null ? new Round<>() : r;
            round.running++;
            return round;
        });
    }

    /**
     * A job that {@link #started} has its outcomes. Completes with nothing while other jobs of its message are
     * under way; for the last, once any bounce is queued (or failed to be), with the reports of the whole round.
     * Never fails.
     */
    public CompletableFuture<List<Report<J>>> finished(Attempt<J> attempt, String headers) {
        String id = attempt.delivery().messageId();
        Round<J> round = rounds.get(id);
        List<Attempt<J>> all;
        synchronized (round) {
            round.finished.add(attempt);
            if (--round.running > 0) {
                return CompletableFuture.completedFuture(List.of());
            }
            rounds.remove(id, round);
            all = round.finished;
        }
        List<FailedRecipient> failed = new ArrayList<>();
        for (Attempt<J> a : all) {
            for (int k = 0; k < a.outcomes().size(); k++) {
                Outcome o = a.outcomes().get(k);
                if (o.kind() == Outcome.Kind.FAILED) {
                    failed.add(new FailedRecipient(a.delivery().recipients().get(k), o, a.expired()));
                }
            }
        }
        MailPath sender = attempt.delivery().sender();
        CompletableFuture<Boolean> bounced = failed.isEmpty() || sender.isNull()
                ? CompletableFuture.completedFuture(true)
                : bounce(attempt, failed, headers).handle((bounceId, e) -> {
                    if (e == null) {
                        events.bounced(new MailEvent.Bounced(id, bounceId, failed.size()));
                        return true;
                    }
                    log.warn("{}: could not queue the bounce, deferring instead: {}", id, unwrap(e).toString());
                    return false;
                });
        return bounced.thenApply(ok -> {
            List<Report<J>> reports = new ArrayList<>(all.size());
            for (Attempt<J> a : all) {
                reports.add(new Report<>(a.job(), ok ? a.outcomes() : failedToDeferred(a.outcomes())));
            }
            return reports;
        });
    }

    private CompletableFuture<String> bounce(Attempt<J> attempt, List<FailedRecipient> failed, String headers) {
        Delivery d = attempt.delivery();
        try {
            byte[] dsn = DsnBuilder.build(hostname, d.sender().address(), d.messageId(),
                    Instant.ofEpochMilli(attempt.arrivalMillis()).atZone(ZoneId.systemDefault()), failed, headers);
            Envelope envelope = new Envelope(MailPath.NULL, MailParameters.DEFAULT, List.of(d.sender()), "127.0.0.1",
                    hostname, "local");
            return bounces.enqueue(envelope, dsn);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<Outcome> failedToDeferred(List<Outcome> outcomes) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            out.add(o.kind() == Outcome.Kind.FAILED
                    ? Outcome.deferred(EnhancedStatus.of(4, 3, 0), "bounce not queued; " + o.detail()) : o);
        }
        return out;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
