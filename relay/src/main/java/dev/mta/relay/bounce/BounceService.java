package dev.mta.relay.bounce;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.transport.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Bounces by message round: the jobs of one message under way together wait for the last of them, so that one DSN
 * covers every recipient of the message that failed for good in the round. Only then are the outcomes released for
 * reporting, so a failed recipient is dropped only once its bounce is queued; if the bounce cannot be queued, those
 * recipients are deferred instead.
 * <p>
 * The DSN returns the original whole when it is at most {@link BounceSettings#sizeLimit()} bytes (read on the
 * disk readers), its header section otherwise. A null-sender message never gets a DSN. When it is a DSN of ours
 * ({@link BounceMarks}), its failure is told once to {@link BounceSettings#doubleBounceTo()}, from the null sender
 * and marked as a double bounce, so that its own failure is only logged; with no such address it is dropped with a
 * log line. Any other null-sender mail is dropped silently, as before.
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
    private final BounceSettings settings;
    private final BounceQueue bounces;
    private final Executor diskReaders;
    private final MailEvents events;
    private final Map<String, Round<J>> rounds = new ConcurrentHashMap<>();

    /**
     * Headers only and no double-bounce notices ({@link BounceSettings#HEADERS_ONLY}): with no disk readers given,
     * nothing past the header section the caller read is touched.
     *
     * @param hostname our name: the DSN's Reporting-MTA and the bounce's HELO name
     */
    public BounceService(String hostname, BounceQueue bounces) {
        this(hostname, bounces, MailEvents.NONE);
    }

    /** @param events hears each bounce queued (the mail log writes it) */
    public BounceService(String hostname, BounceQueue bounces, MailEvents events) {
        this(hostname, BounceSettings.HEADERS_ONLY, bounces, Runnable::run, events);
    }

    /**
     * @param settings    the size limit of a returned message and the double-bounce address
     * @param diskReaders threads that may block on the disk: a message returned whole is read there
     * @param events      hears each bounce queued (the mail log writes it)
     */
    public BounceService(String hostname, BounceSettings settings, BounceQueue bounces, Executor diskReaders,
                         MailEvents events) {
        this.hostname = hostname;
        this.settings = settings;
        this.bounces = bounces;
        this.diskReaders = diskReaders;
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
        CompletableFuture<Boolean> bounced = failed.isEmpty() ? CompletableFuture.completedFuture(true)
                : attempt.delivery().sender().isNull() ? doubleBounce(attempt, failed, headers)
                : queued(id, bounce(attempt, failed, headers), failed.size(), "the bounce");
        return bounced.thenApply(ok -> {
            List<Report<J>> reports = new ArrayList<>(all.size());
            for (Attempt<J> a : all) {
                reports.add(new Report<>(a.job(), ok ? a.outcomes() : failedToDeferred(a.outcomes())));
            }
            return reports;
        });
    }

    /** True once {@code notice} is queued (and told); false, with a warning, when it could not be. */
    private CompletableFuture<Boolean> queued(String id, CompletableFuture<String> notice, int recipients,
                                              String what) {
        return notice.handle((bounceId, e) -> {
            if (e == null) {
                events.bounced(new MailEvent.Bounced(id, bounceId, recipients));
                return true;
            }
            log.warn("{}: could not queue {}, deferring instead: {}", id, what, unwrap(e).toString());
            return false;
        });
    }

    /** A DSN to the sender, returning the message whole when it is small enough, else its headers. */
    private CompletableFuture<String> bounce(Attempt<J> attempt, List<FailedRecipient> failed, String headers) {
        Delivery d = attempt.delivery();
        return returned(d, headers).thenCompose(returned -> {
            try {
                byte[] dsn = DsnBuilder.build(DsnBuilder.Notice.BOUNCE, hostname, d.sender().address(), d.messageId(),
                        arrival(attempt), failed, returned);
                MailParameters parameters = returned.isEightBit()
                        ? new MailParameters(-1, BodyType.EIGHT_BIT_MIME, false) : MailParameters.DEFAULT;
                return bounces.enqueue(envelope(d.sender(), parameters), dsn);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * A null-sender message failed: never a DSN. A DSN of ours is told once to the double-bounce address (or
     * dropped with a log line when there is none); a failed double-bounce notice ends there; other mail is dropped.
     */
    private CompletableFuture<Boolean> doubleBounce(Attempt<J> attempt, List<FailedRecipient> failed,
                                                    String headers) {
        Delivery d = attempt.delivery();
        switch (BounceMarks.of(headers, hostname)) {
            case OUR_DSN:
                break;
            case OUR_DOUBLE_BOUNCE:
                log.warn("{}: double-bounce notice undeliverable, dropped (a double bounce never bounces): {}",
                        d.messageId(), reasons(failed));
                return CompletableFuture.completedFuture(true);
            default:
                return CompletableFuture.completedFuture(true);
        }
        MailPath to = settings.doubleBounceTo();
        if (to == null) {
            log.warn("{}: double bounce dropped (--double-bounce-to none): {}", d.messageId(), reasons(failed));
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<String> notice;
        try {
            byte[] content = DsnBuilder.build(DsnBuilder.Notice.DOUBLE_BOUNCE, hostname, to.address(), d.messageId(),
                    arrival(attempt), failed, DsnBuilder.Returned.headersOnly(headers));
            notice = bounces.enqueue(envelope(to, MailParameters.DEFAULT), content);
        } catch (RuntimeException e) {
            notice = CompletableFuture.failedFuture(e);
        }
        return queued(d.messageId(), notice, failed.size(), "the double-bounce notice");
    }

    /** The whole message when within the limit (read on a disk reader), else the header section already read. */
    private CompletableFuture<DsnBuilder.Returned> returned(Delivery d, String headers) {
        long length = d.content().length();
        if (settings.sizeLimit() == 0 || length > settings.sizeLimit()) {
            return CompletableFuture.completedFuture(DsnBuilder.Returned.headersOnly(headers));
        }
        try {
            return CompletableFuture.supplyAsync(() -> readWhole(d, length, headers), diskReaders);
        } catch (RejectedExecutionException e) { // closing: the bounce is not queued, the failures are deferred
            return CompletableFuture.failedFuture(e);
        }
    }

    private static DsnBuilder.Returned readWhole(Delivery d, long length, String headers) {
        try (InputStream in = d.content().openStream()) {
            byte[] whole = in.readNBytes((int) length);
            if (whole.length != length) {
                throw new IOException("message shorter than its stored length: " + whole.length + " of " + length);
            }
            return DsnBuilder.Returned.whole(whole);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: could not read the message for its bounce, returning its headers only: {}",
                    d.messageId(), e.toString());
            return DsnBuilder.Returned.headersOnly(headers);
        }
    }

    private Envelope envelope(MailPath to, MailParameters parameters) {
        return Envelope.madeHere(MailPath.NULL, parameters, List.of(to), hostname);
    }

    private static ZonedDateTime arrival(Attempt<?> attempt) {
        return Instant.ofEpochMilli(attempt.arrivalMillis()).atZone(ZoneId.systemDefault());
    }

    private static String reasons(List<FailedRecipient> failed) {
        StringBuilder sb = new StringBuilder();
        for (FailedRecipient f : failed) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(f.address()).append(": ").append(f.outcome() == null ? "expired" : f.outcome().detail());
        }
        return sb.toString();
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
