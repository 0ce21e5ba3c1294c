package dev.mta.server.smtp;

import dev.mta.queue.events.MailEvents;

import dev.mta.protocol.codec.BareNewline;
import dev.mta.protocol.codec.DataChunk;
import dev.mta.protocol.codec.EndOfData;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.protocol.trace.ReceivedHeader;
import dev.mta.queue.MessageStore;
import dev.mta.server.config.ServerConfig;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A session's messages, from the 354 through the content to the reply after the commit. While the commit waits
 * on the disk the session reads nothing ({@link InputPause.Reason#COMMIT}), so commands pipelined behind the dot
 * are answered after it. Event loop only.
 */
final class MessageReceiver {
    // The session's logger: a message's fate is logged where operators look for the rest of its session.
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final ServerConfig config;
    private final ServerReplies replies;
    private final MessageStore store;
    private final SmtpFrameDecoder framer;
    private final SessionDeadlines deadlines;
    private final InputPause pause;
    private final JunkCommands junk;
    private final Conversation talk;
    private final SessionChannel out;
    private final MailEvents events;
    /** What a bare LF means in the content of a client that has authenticated. */
    private final BareNewline authenticatedBareNewline;
    private DataPhase message;
    /** Messages queued on this connection. */
    private int queued;

    MessageReceiver(ServerConfig config, ServerReplies replies, MessageStore store, SmtpFrameDecoder framer,
                    SessionDeadlines deadlines, InputPause pause, JunkCommands junk, Conversation talk,
                    SessionChannel out, MailEvents events, BareNewline authenticatedBareNewline) {
        this.events = events;
        this.authenticatedBareNewline = authenticatedBareNewline;
        this.config = config;
        this.replies = replies;
        this.store = store;
        this.framer = framer;
        this.deadlines = deadlines;
        this.pause = pause;
        this.junk = junk;
        this.talk = talk;
        this.out = out;
    }

    /** DATA accepted for {@code transaction}: the message is opened in the store and 354 sent. */
    void start(Transaction transaction) {
        String client = talk.clientText();
        String heloName = talk.heloName();
        String protocol = transaction.protocol(talk.esmtp(), talk.tlsActive(), talk.authenticatedUser() != null);
        message = new DataPhase(store.receive(transaction.envelope(client, heloName, protocol)), transaction,
                talk.clientAddress(), client, config.maxMessageSize(), pause, out.executor(), events,
                transaction.check);
        List<String> to = transaction.recipients();
        String received = ReceivedHeader.format(heloName, talk.clientAddress(), config.hostname(), protocol,
                message.id(), to.size() == 1 ? to.get(0) : null, ZonedDateTime.now());
        message.writeHeader(Unpooled.wrappedBuffer(received.getBytes(StandardCharsets.UTF_8)));
        talk.accepted(SmtpVerb.DATA);
        // LF-only content is trusted to a known submitter (scripts, curl) only: strangers keep the smuggling defence.
        framer.startData(talk.authenticated() ? authenticatedBareNewline : BareNewline.REJECT);
        deadlines.dataStarted();
        out.reply(Replies.START_DATA);
    }

    /** Content, dot-unstuffed; the chunk is released here or handed on. */
    void content(DataChunk chunk) {
        // Counted before any check: an oversize message read to its end must keep up the rate too.
        deadlines.dataReceived(chunk.content().readableBytes());
        if (message == null) {
            chunk.release();
        } else {
            message.content(chunk.content());
        }
    }

    /** The final dot: the reply comes at once when the message is refused, else once its commit is durable. */
    void endOfData(EndOfData end) {
        DataPhase m = message;
        message = null;
        talk.contentEnded();
        deadlines.dataEnded();
        CompletableFuture<SmtpReply> outcome = m.end(end);
        if (outcome.isDone()) {
            finish(outcome.join(), false); // refused at once: no commit to wait for
            return;
        }
        pause.pause(InputPause.Reason.COMMIT);
        outcome.thenAccept(reply -> committed(reply, m.refusedByCheck()));
    }

    /** Messages queued on this connection so far. */
    int queued() {
        return queued;
    }

    /** Whether a message may still complete: its content is arriving or its commit is under way. */
    boolean inFlight() {
        return talk.state() == SessionState.DATA || pause.isPaused(InputPause.Reason.COMMIT);
    }

    private void committed(SmtpReply reply, boolean byCheck) {
        finish(reply, byCheck);
        if (out.shuttingDown()) {
            out.closeWith(replies.shuttingDown);
        }
        // After the reply is written: commands pipelined behind the dot are answered after it.
        pause.resume(InputPause.Reason.COMMIT);
        out.flush();
    }

    /** @param byCheck the reply is a content check's refusal (DMARC, a deferred temperror), not the store's */
    private void finish(SmtpReply reply, boolean byCheck) {
        talk.endTransaction();
        if (reply.code() == 250) {
            junk.forgive(); // queued
            queued++;
        } else {
            out.observer().messageRejected(byCheck ? SmtpObserver.Rejection.AUTHENTICATION : rejection(reply));
        }
        out.reply(reply);
    }

    /** Why a message was refused at its end, from the reply it got. */
    static SmtpObserver.Rejection rejection(SmtpReply reply) {
        if (reply == Replies.MESSAGE_TOO_BIG) {
            return SmtpObserver.Rejection.SIZE;
        }
        if (reply == Replies.BARE_LINE_ENDING_IN_DATA) {
            return SmtpObserver.Rejection.BARE_NEWLINE;
        }
        return reply == Replies.STORAGE_FULL ? SmtpObserver.Rejection.STORAGE_FULL : SmtpObserver.Rejection.STORAGE_ERROR;
    }

    /** The client went away: a message still arriving was never acknowledged, so nothing of it stays. */
    void connectionLost() {
        if (message != null) {
            log.info("{}: lost connection during DATA from {}", message.id(), talk.clientText());
            message.abort();
            message = null;
            out.observer().messageRejected(SmtpObserver.Rejection.DISCONNECTED);
        }
    }

    /** The DATA phase ran past its time or fell below its rate: nothing was acknowledged, so nothing stays. */
    void cut(boolean slow) {
        log.info("{}: DATA from {} cut after {} bytes: {}", message.id(), talk.clientText(), message.size(),
                slow ? "below the minimum data rate" : "longer than the maximum data time");
        message.abort();
        message = null;
        out.observer().messageRejected(SmtpObserver.Rejection.TIMEOUT);
    }
}
