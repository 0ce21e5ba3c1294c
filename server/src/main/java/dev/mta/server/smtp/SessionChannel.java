package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.policy.Verdict;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * A session's way out: replies (written now, flushed once per batch of input), the count of the client's errors,
 * shutting down, and the close after a last reply. Event loop only.
 */
final class SessionChannel {
    // The session's logger: operators find a session's lines under one name.
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private static final Verdict LOCAL_ERROR = Verdict.refuse(Replies.LOCAL_ERROR);

    private final int maxErrors;
    private final InputPause pause;
    private final Conversation talk;
    private ChannelHandlerContext ctx;
    private int errors;
    private boolean closing;
    private boolean shuttingDown;
    private SmtpObserver observer = SmtpObserver.NONE;
    /** The command whose first reply is still to be counted, or null. */
    private SmtpVerb answering;

    SessionChannel(int maxErrors, InputPause pause, Conversation talk) {
        this.maxErrors = maxErrors;
        this.pause = pause;
        this.talk = talk;
    }

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The metrics of this session's listener. */
    void observe(SmtpObserver o) {
        observer = o;
    }

    SmtpObserver observer() {
        return observer;
    }

    /** A command arrived: its first reply, whenever it is written, is counted under its verb. */
    void answering(SmtpVerb verb) {
        answering = verb;
    }

    /** Counts {@code reply} as the answer to the command in hand, if any (written here; STARTTLS's 220 elsewhere). */
    void counted(SmtpReply reply) {
        if (answering != null) {
            observer.replied(answering, reply.code());
            answering = null;
        }
    }

    /** The session's event loop, where storage answers come back to. */
    EventExecutor executor() {
        return ctx.executor();
    }

    /** Written, not flushed: the flush comes at the end of the read batch (pipelined replies leave in one write). */
    void reply(SmtpReply reply) {
        talk.commands().replied(reply.code());
        counted(reply);
        ctx.write(reply, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    /** A reply to a bad command: counted, and past the limit the session ends (as Postfix's hard error limit). */
    void error(SmtpReply reply) {
        if (!tooManyErrors()) {
            reply(reply);
        }
    }

    /** Counts an error; when that reaches the limit, ends the session with 421 4.7.0 and returns true. */
    boolean tooManyErrors() {
        if (++errors < maxErrors) {
            return false;
        }
        log.info("too many errors from {}: closing the session", talk.clientText());
        closeWith(Replies.TOO_MANY_ERRORS);
        return true;
    }

    /** Sends a policy's refusal, if it is one, and returns true; false when the command goes ahead. */
    boolean refused(Verdict verdict) {
        if (verdict.accepted()) {
            return false;
        }
        if (verdict.closes()) {
            closeWith(verdict.reply());
        } else if (verdict.countsAsError()) {
            error(verdict.reply());
        } else {
            reply(verdict.reply());
        }
        return true;
    }

    /**
     * Waits for a pending verdict with reading paused ({@link InputPause.Reason#POLICY}), so commands pipelined
     * behind this one wait their turn. Once it is in, on the event loop: the rest of the chain (if it settled as
     * accepted), then {@code decided} with the final verdict, then reading resumes and the replies are flushed.
     * A session that closed meanwhile hears nothing more: nothing is written to it. A verdict that fails is
     * {@code 451 4.3.0}.
     */
    void await(Verdict pending, Consumer<Verdict> decided) {
        pause.pause(InputPause.Reason.POLICY);
        EventExecutor loop = ctx.executor();
        pending.later().whenComplete((v, e) -> loop.execute(() -> settled(pending, v, e, decided)));
    }

    private void settled(Verdict pending, Verdict v, Throwable e, Consumer<Verdict> decided) {
        if (closing || !ctx.channel().isActive()) {
            return; // the client left, or the session ended (timeout, shutdown): nobody to answer
        }
        Verdict result;
        if (e != null || v == null || v.isPending()) {
            log.warn("policy check for {} failed: {}", talk.clientText(), e != null ? e.toString() : v);
            result = LOCAL_ERROR;
        } else {
            result = pending.settle(v);
        }
        if (result.isPending()) {
            await(result, decided); // the next policy of the chain asks someone too
            return;
        }
        decided.accept(result);
        // After the reply is written: commands pipelined behind this one are answered after it.
        pause.resume(InputPause.Reason.POLICY);
        flush();
    }

    /** The last reply: nothing more is read, and the connection closes once it has left (or soon after). */
    void closeWith(SmtpReply reply) {
        if (closing) {
            return;
        }
        closing = true;
        talk.commands().replied(reply.code());
        counted(reply);
        pause.pause(InputPause.Reason.CLOSING);
        LastReply.sendAndClose(ctx.channel(), reply);
    }

    boolean closing() {
        return closing;
    }

    /** The server is stopping: no new message is taken. */
    void shutDown() {
        shuttingDown = true;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }
}
