package dev.mta.relay.transport.smtp;

import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.transport.Delivery;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One message's SMTP transaction on an open connection: MAIL, one RCPT per recipient, DATA, the body, the dot.
 * With PIPELINING the envelope goes in one write (RFC 2920). Each RCPT reply decides its recipient alone; the
 * recipients the peer accepted share the fate of the final reply. The result has one outcome per recipient of the
 * delivery, in order; trouble becomes deferrals, with one exception: a kept connection that turns out gone before
 * MAIL is answered (closed, or 421) fails with {@link StaleConnectionException}, since nothing was sent and a fresh
 * connection should carry the message. No reply after the final dot is deferred as a possible duplicate, and
 * logged as one.
 */
public final class MailTransaction {
    private static final Logger log = LoggerFactory.getLogger(MailTransaction.class);

    private final SmtpClientConnection c;
    private final Delivery delivery;
    private final Executor bodyReader;
    private final boolean eightBit;
    private final boolean smtputf8;
    /** MAIL's reply, once MAIL is written: whether the next hop answered it tells a stale kept connection. */
    private CompletableFuture<SmtpResponse> mailReply;

    private MailTransaction(SmtpClientConnection c, Delivery delivery, Executor bodyReader) {
        this.c = c;
        this.delivery = delivery;
        this.bodyReader = bodyReader;
        this.eightBit = delivery.parameters().body() == BodyType.EIGHT_BIT_MIME;
        this.smtputf8 = delivery.parameters().smtputf8();
    }

    /** Runs the transaction; call from anywhere, it moves to the connection's event loop. */
    public static CompletableFuture<List<Outcome>> run(SmtpClientConnection c, Delivery delivery, Executor bodyReader) {
        MailTransaction t = new MailTransaction(c, delivery, bodyReader);
        return CompletableFuture.supplyAsync(t::start, c.eventLoop()).thenCompose(f -> f);
    }

    private CompletableFuture<List<Outcome>> start() {
        PeerCapabilities caps = c.capabilities();
        long size = delivery.content().length();
        if (smtputf8 && !caps.smtpUtf8()) {
            return all(local(Outcome.Kind.FAILED, 5, 6, 7, c.peer() + " does not support SMTPUTF8, which this message needs"));
        }
        if (eightBit && !caps.eightBitMime()) {
            return all(local(Outcome.Kind.FAILED, 5, 6, 3,
                    c.peer() + " does not support 8BITMIME and conversion is not done"));
        }
        if (caps.maxSize() > 0 && size > caps.maxSize()) {
            return all(local(Outcome.Kind.FAILED, 5, 3, 4, "message of " + size + " bytes exceeds " + c.peer()
                    + "'s limit of " + caps.maxSize()));
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:").append(delivery.sender());
        if (caps.maxSize() > 0) {
            mail.append(" SIZE=").append(size);
        }
        if (eightBit) {
            mail.append(" BODY=8BITMIME");
        }
        if (smtputf8) {
            mail.append(" SMTPUTF8");
        }
        ClientTimeouts t = c.timeouts();
        c.clean(false);
        CompletableFuture<SmtpResponse> mailReply = c.writeLine(mail.toString(), t.command());
        this.mailReply = mailReply;
        List<CompletableFuture<SmtpResponse>> rcptReplies = new ArrayList<>();
        if (caps.pipelining()) {
            for (MailPath r : delivery.recipients()) {
                rcptReplies.add(c.writeLine("RCPT TO:" + r, t.command()));
            }
            CompletableFuture<SmtpResponse> dataReply = c.write(SmtpRequests.data(), t.dataInit());
            c.flush();
            return allOf(mailReply, rcptReplies, dataReply).thenComposeAsync(v ->
                    afterEnvelope(mailReply.join(), replies(rcptReplies), dataReply.join()), c.eventLoop())
                    .exceptionally(this::lost);
        }
        c.flush();
        return mailReply.thenComposeAsync(m -> {
            checkNotClosing(m);
            if (!Replies.isPositive(m)) {
                c.clean(true); // no transaction began
                return CompletableFuture.completedFuture(fromEnvelopeFailure(m));
            }
            return sequentialRcpts(0, new ArrayList<>()).thenComposeAsync(rs -> {
                if (rs.stream().noneMatch(Replies::isPositive)) {
                    return CompletableFuture.completedFuture(perRecipient(rs, null));
                }
                return c.command(SmtpRequests.data(), t.dataInit())
                        .thenComposeAsync(d -> afterEnvelope(m, rs, d), c.eventLoop());
            }, c.eventLoop());
        }, c.eventLoop()).exceptionally(this::lost);
    }

    private CompletableFuture<List<SmtpResponse>> sequentialRcpts(int i, List<SmtpResponse> acc) {
        if (i == delivery.recipients().size()) {
            return CompletableFuture.completedFuture(acc);
        }
        CompletableFuture<SmtpResponse> r = c.writeLine("RCPT TO:" + delivery.recipients().get(i), c.timeouts().command());
        c.flush();
        return r.thenComposeAsync(reply -> {
            acc.add(reply);
            return sequentialRcpts(i + 1, acc);
        }, c.eventLoop());
    }

    private CompletableFuture<List<Outcome>> afterEnvelope(SmtpResponse mail, List<SmtpResponse> rcpts, SmtpResponse data) {
        checkNotClosing(mail);
        if (!Replies.isPositive(mail)) {
            if (data.code() == 354) {
                return c.endContent().handle((r, e) -> fromEnvelopeFailure(mail));
            }
            c.clean(true); // no transaction began
            return CompletableFuture.completedFuture(fromEnvelopeFailure(mail));
        }
        boolean anyAccepted = rcpts.stream().anyMatch(Replies::isPositive);
        if (data.code() != 354) {
            // No valid recipient, or DATA refused: the accepted ones take DATA's reply.
            return CompletableFuture.completedFuture(perRecipient(rcpts, data));
        }
        if (!anyAccepted) {
            // A peer that says 354 with no valid recipient gets an empty message, as RFC 2920 expects.
            return c.endContent().handle((r, e) -> perRecipient(rcpts, null));
        }
        return BodySender.send(c, delivery.content(), bodyReader)
                .thenComposeAsync(v -> c.endContent(), c.eventLoop())
                .handle((end, e) -> {
                    if (e != null) {
                        return withAccepted(rcpts, contentLost(e));
                    }
                    c.clean(true); // the final reply ends the transaction, whatever it says
                    return perRecipient(rcpts, end);
                });
    }

    /**
     * The outcome of the accepted recipients when the content or the final reply did not get through. Silence
     * after the final dot is the dangerous case (RFC 1047): the next hop may have taken the message, and sending
     * it again may deliver it twice.
     */
    private Outcome contentLost(Throwable t) {
        Throwable cause = SmtpConnector.unwrap(t);
        c.close();
        if (cause instanceof ReplyTimeoutException) {
            String within = Seconds.text(((ReplyTimeoutException) cause).timeout());
            log.warn("{}: possible duplicate delivery: no reply from {} after the end of data within {}; it may have"
                    + " taken the message, which is deferred and will be sent again", delivery.messageId(), c.peer(), within);
            return local(Outcome.Kind.DEFERRED, 4, 4, 2, "no reply from " + c.peer() + " after the end of data within "
                    + within + ": the message may have been delivered; retrying may deliver it twice");
        }
        if (cause instanceof ContentTimeoutException) {
            return local(Outcome.Kind.DEFERRED, 4, 4, 2, "timeout while sending the message content to " + c.peer()
                    + ": it took no more of it within " + Seconds.text(((ContentTimeoutException) cause).timeout()));
        }
        return conversationFailed(cause);
    }

    /** Each refused recipient keeps its RCPT reply; the accepted ones get {@code last} (the final reply). */
    private List<Outcome> perRecipient(List<SmtpResponse> rcpts, SmtpResponse last) {
        return withAccepted(rcpts, outcome(last));
    }

    /** Each refused recipient keeps its RCPT reply; the accepted ones get {@code accepted}. */
    private List<Outcome> withAccepted(List<SmtpResponse> rcpts, Outcome accepted) {
        List<Outcome> out = new ArrayList<>(rcpts.size());
        for (SmtpResponse r : rcpts) {
            out.add(Replies.isPositive(r) ? accepted : outcome(r));
        }
        return out;
    }

    private Outcome outcome(SmtpResponse r) {
        if (r == null) {
            return local(Outcome.Kind.DEFERRED, 4, 4, 0, "no final reply from " + c.peer());
        }
        return Outcome.reply(r.code(), r.details(), c.remoteMta());
    }

    /** An outcome decided here, about the next hop this transaction talks to. */
    private Outcome local(Outcome.Kind kind, int cls, int subject, int detail, String description) {
        return Outcome.local(kind, EnhancedStatus.of(cls, subject, detail), description, c.remoteMta());
    }

    private List<Outcome> fromEnvelopeFailure(SmtpResponse mail) {
        return same(outcome(mail));
    }

    private List<Outcome> lost(Throwable t) {
        Throwable cause = SmtpConnector.unwrap(t);
        c.close();
        if (cause instanceof StaleConnectionException) {
            throw new CompletionException(cause);
        }
        if (c.reused() && goneBeforeMail(cause)) {
            throw new CompletionException(new StaleConnectionException(c.peer(), cause));
        }
        return same(conversationFailed(cause));
    }

    /**
     * Whether a kept connection had gone before the next hop took MAIL: it closed (not merely slow: a timeout is the
     * peer's trouble, not the connection's age) or answered MAIL with 421, its idle timeout racing ours.
     */
    private boolean goneBeforeMail(Throwable cause) {
        if (!answered(mailReply)) {
            return !(cause instanceof ReplyTimeoutException);
        }
        return mailReply.join().code() == 421;
    }

    /** A kept connection answered MAIL with 421 (closing): fails the transaction as stale, to go again fresh. */
    private void checkNotClosing(SmtpResponse mail) {
        if (mail.code() == 421 && c.reused()) {
            c.close();
            throw new CompletionException(new StaleConnectionException(c.peer(),
                    new IOException("MAIL answered " + mail.code() + " " + String.join(" ", mail.details()))));
        }
    }

    private static boolean answered(CompletableFuture<SmtpResponse> reply) {
        return reply != null && reply.isDone() && !reply.isCompletedExceptionally();
    }

    private Outcome conversationFailed(Throwable cause) {
        return local(Outcome.Kind.DEFERRED, 4, 4, 2, "conversation with " + c.peer() + " failed: " + cause.getMessage());
    }

    private CompletableFuture<List<Outcome>> all(Outcome o) {
        return CompletableFuture.completedFuture(same(o));
    }

    /** One outcome for every recipient of the delivery. */
    private List<Outcome> same(Outcome o) {
        return java.util.Collections.nCopies(delivery.recipients().size(), o);
    }

    private static List<SmtpResponse> replies(List<CompletableFuture<SmtpResponse>> fs) {
        List<SmtpResponse> out = new ArrayList<>(fs.size());
        fs.forEach(f -> out.add(f.join()));
        return out;
    }

    private static CompletableFuture<Void> allOf(CompletableFuture<SmtpResponse> a, List<CompletableFuture<SmtpResponse>> bs,
                                                 CompletableFuture<SmtpResponse> c) {
        List<CompletableFuture<?>> all = new ArrayList<>(bs);
        all.add(a);
        all.add(c);
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }
}
