package dev.mta.server.smtp;

import dev.mta.protocol.codec.DataChunk;
import dev.mta.protocol.codec.EndOfData;
import dev.mta.protocol.codec.FramingError;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.protocol.trace.ReceivedHeader;
import dev.mta.queue.MessageStore;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.policy.PolicyChain;
import dev.mta.server.policy.SessionFacts;
import dev.mta.server.policy.StandardPolicies;
import dev.mta.server.policy.Verdict;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One SMTP conversation: the RFC 5321 state machine over commands from {@link dev.mta.protocol.codec.SmtpCommandDecoder}
 * and content from {@link SmtpFrameDecoder}. Everything runs on the channel's event loop; storage answers come back
 * to it. While an answer waits on the disk, or replies wait for a client that does not read them, the framer is
 * paused ({@link InputPause}), so pipelined commands behind it keep their order and no session's memory grows.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter implements SessionFacts {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final ServerConfig config;
    private final ServerReplies replies;
    private final MessageStore store;
    private final EnvelopeBudget envelopes;
    private final SmtpFrameDecoder framer;
    private final SessionDeadlines deadlines;
    private final InputPause pause;
    private final JunkCommands junk;
    private final PolicyChain policies;

    private ChannelHandlerContext ctx;
    private InetAddress clientAddress;
    private SessionState state = SessionState.CONNECTED;
    private String heloName;
    private boolean esmtp;
    private Transaction transaction;
    private DataPhase message;
    private boolean shuttingDown;
    private boolean closing;
    private int errors;

    SmtpSession(ServerConfig config, ServerReplies replies, MessageStore store, EnvelopeBudget envelopes,
                SmtpFrameDecoder framer) {
        this.config = config;
        this.replies = replies;
        this.store = store;
        this.envelopes = envelopes;
        this.framer = framer;
        this.deadlines = new SessionDeadlines(config, System::nanoTime);
        this.pause = new InputPause(framer, deadlines);
        this.junk = new JunkCommands(config.maxJunkCommands());
        this.policies = StandardPolicies.of(config, store);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientAddress = remote == null ? null : remote.getAddress();
        deadlines.start(ctx.executor(), this::deadlinePassed);
        Verdict verdict = policies.onConnect(this);
        if (verdict.accepted()) {
            ctx.writeAndFlush(replies.greeting);
        } else {
            closeWith(verdict.reply()); // no session for this client: the refusal instead of the greeting
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        deadlines.activity();
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof DataChunk) {
            onContent((DataChunk) msg);
        } else if (msg instanceof SmtpCommand) {
            onCommand((SmtpCommand) msg);
        } else if (msg instanceof EndOfData) {
            onEndOfData((EndOfData) msg);
        } else if (msg instanceof FramingError) {
            error(msg == FramingError.LINE_TOO_LONG ? Replies.LINE_TOO_LONG : Replies.BARE_LF_IN_COMMAND);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per batch of input: pipelined commands get their replies in one write.
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (this.ctx == null) {
            ctx.fireChannelWritabilityChanged(); // refused by the connection limit: not ours to read
            return;
        }
        if (!ctx.channel().isWritable()) {
            // Replies written but not yet flushed count as pending: unflushed, writability would never come back.
            ctx.flush();
        }
        // Asked again after the flush: the socket may have taken everything.
        if (ctx.channel().isWritable()) {
            pause.resume(InputPause.Reason.UNWRITABLE);
        } else {
            pause.pause(InputPause.Reason.UNWRITABLE);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadlines.stop();
        endTransaction();
        if (message != null) {
            // The client went away mid-DATA: nothing was acknowledged, so nothing stays.
            log.info("{}: lost connection during DATA from {}", message.id(), clientText());
            message.abort();
            message = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ShutdownSignal) {
            if (this.ctx == null) {
                return; // refused by the connection limit, never greeted
            }
            shuttingDown = true;
            // A message in flight may finish within the grace period; anything else ends now.
            boolean inFlight = state == SessionState.DATA || pause.isPaused(InputPause.Reason.COMMIT);
            if (evt == ShutdownSignal.NOW || !inFlight) {
                closeWith(replies.shuttingDown);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing && cause instanceof ClosedChannelException) {
            return; // replies still queued when a connection is reset fail one by one: nothing to report
        }
        OutOfMemoryError oom = outOfMemory(cause);
        if (oom != null) {
            // One line, no stack trace: when memory runs out it does so for many sessions at once.
            log.warn("closing session from {}: {}", clientText(), oom.toString());
        } else if (cause instanceof IOException) {
            log.debug("connection error from {}: {}", clientText(), cause.toString());
        } else {
            log.warn("session error from {}", clientText(), cause);
        }
        ctx.close();
    }

    /** The OutOfMemoryError behind {@code cause} (codecs wrap it), or null. */
    private static OutOfMemoryError outOfMemory(Throwable cause) {
        Throwable t = cause;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return (OutOfMemoryError) t;
            }
        }
        return null;
    }

    // ---- commands -------------------------------------------------------------------------------------------

    private void onCommand(SmtpCommand cmd) {
        if (cmd.isRejected()) {
            error(cmd.rejection());
            return;
        }
        if (junk.pastLimit(cmd.verb()) && tooManyErrors()) {
            return; // past the junk limit the command is also an error, and this one was one too many
        }
        SmtpReply outOfSequence = CommandSequence.refusal(state, cmd.verb());
        if (outOfSequence != null) {
            error(outOfSequence);
            return;
        }
        switch (cmd.verb()) {
            case HELO:
            case EHLO:
                hello(cmd);
                break;
            case MAIL:
                mail(cmd);
                break;
            case RCPT:
                rcpt(cmd);
                break;
            case DATA:
                data();
                break;
            case RSET:
                resetTransaction();
                reply(Replies.RESET_OK);
                break;
            case NOOP:
                reply(Replies.NOOP_OK);
                break;
            case QUIT:
                closeWith(Replies.BYE);
                break;
            case VRFY:
                // Policy: no address harvesting, so never confirm or deny a mailbox (RFC 5321 3.5.3).
                reply(Replies.CANNOT_VRFY);
                break;
            case EXPN:
                reply(Replies.EXPN_DISABLED);
                break;
            case HELP:
                reply(replies.help);
                break;
            default:
                error(Replies.UNRECOGNIZED);
        }
    }

    private void hello(SmtpCommand cmd) {
        if (refused(policies.onHelo(this, cmd.argument(), cmd.verb() == SmtpVerb.EHLO))) {
            return;
        }
        // A second HELO/EHLO acts as RSET (RFC 5321 4.1.4).
        resetTransaction();
        heloName = cmd.argument();
        esmtp = cmd.verb() == SmtpVerb.EHLO;
        state = CommandSequence.next(state, cmd.verb());
        reply(esmtp ? replies.ehlo.reply(this) : replies.helo);
    }

    private void mail(SmtpCommand cmd) {
        if (!refused(policies.onMail(this, cmd.path(), cmd.mailParameters()))) {
            transaction = new Transaction(cmd.path(), cmd.parameters().toString(), cmd.mailParameters(), envelopes);
            state = CommandSequence.next(state, SmtpVerb.MAIL);
            reply(Replies.SENDER_OK);
        }
    }

    private void rcpt(SmtpCommand cmd) {
        MailPath path = cmd.path();
        // <Postmaster> without a domain means this server's postmaster (RFC 5321 4.1.1.3).
        MailPath recipient = path.isBarePostmaster()
                ? new MailPath(path.localPart(), config.hostname(), false) : path;
        if (!refused(policies.onRcpt(this, transaction, recipient))) {
            SmtpReply reply = transaction.addRecipient(recipient);
            if (reply == Replies.RECIPIENT_OK) {
                state = CommandSequence.next(state, SmtpVerb.RCPT);
            }
            reply(reply);
        }
    }

    private void data() {
        if (shuttingDown) {
            closeWith(replies.shuttingDown);
            return;
        }
        if (refused(policies.onData(this, transaction))) {
            return;
        }
        String protocol = transaction.protocol(esmtp);
        message = new DataPhase(store.receive(transaction.envelope(clientText(), heloName, protocol)), transaction,
                clientText(), config.maxMessageSize(), pause, ctx.executor());
        List<String> to = transaction.recipients();
        String received = ReceivedHeader.format(heloName, clientAddress, config.hostname(), protocol, message.id(),
                to.size() == 1 ? to.get(0) : null, ZonedDateTime.now());
        message.writeHeader(Unpooled.wrappedBuffer(received.getBytes(StandardCharsets.UTF_8)));
        state = CommandSequence.next(state, SmtpVerb.DATA);
        framer.startData();
        deadlines.dataStarted();
        reply(Replies.START_DATA);
    }

    // ---- message content ------------------------------------------------------------------------------------

    private void onContent(DataChunk chunk) {
        // Counted before any check: an oversize message read to its end must keep up the rate too.
        deadlines.dataReceived(chunk.content().readableBytes());
        if (message == null) {
            chunk.release();
        } else {
            message.content(chunk.content());
        }
    }

    private void onEndOfData(EndOfData end) {
        DataPhase m = message;
        message = null;
        state = CommandSequence.afterContent();
        deadlines.dataEnded();
        CompletableFuture<SmtpReply> outcome = m.end(end);
        if (outcome.isDone()) {
            finishTransaction(outcome.join()); // refused at once: no commit to wait for
            return;
        }
        pause.pause(InputPause.Reason.COMMIT);
        outcome.thenAccept(this::committed);
    }

    private void committed(SmtpReply reply) {
        finishTransaction(reply);
        if (shuttingDown) {
            closeWith(replies.shuttingDown);
        }
        // After the reply is written: commands pipelined behind the dot are answered after it.
        pause.resume(InputPause.Reason.COMMIT);
        ctx.flush();
    }

    private void finishTransaction(SmtpReply reply) {
        endTransaction();
        if (reply.code() == 250) {
            junk.forgive(); // queued
        }
        reply(reply);
    }

    private void resetTransaction() {
        endTransaction();
        state = CommandSequence.next(state, SmtpVerb.RSET);
    }

    private void endTransaction() {
        if (transaction != null) {
            transaction.end();
            transaction = null;
        }
    }

    // ---- replies, errors, closing ---------------------------------------------------------------------------

    /** Sends a policy's refusal, if it is one, and returns true; false when the command goes ahead. */
    private boolean refused(Verdict verdict) {
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

    private void reply(SmtpReply reply) {
        ctx.write(reply, ctx.voidPromise());
    }

    /** A reply to a bad command: counted, and past the limit the session ends (as Postfix's hard error limit). */
    private void error(SmtpReply reply) {
        if (!tooManyErrors()) {
            reply(reply);
        }
    }

    /** Counts an error; when that reaches the limit, ends the session with 421 4.7.0 and returns true. */
    private boolean tooManyErrors() {
        if (++errors < config.maxErrors()) {
            return false;
        }
        log.info("too many errors from {}: closing the session", clientText());
        closeWith(Replies.TOO_MANY_ERRORS);
        return true;
    }

    private void closeWith(SmtpReply reply) {
        if (closing) {
            return;
        }
        closing = true;
        pause.pause(InputPause.Reason.CLOSING);
        LastReply.sendAndClose(ctx.channel(), reply);
    }

    // RFC 5321 4.5.3.2: the server waits at least 5 minutes for the next command or the next piece of content.
    private void deadlinePassed(SessionDeadlines.Expiry expiry) {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        if (expiry == SessionDeadlines.Expiry.IDLE) {
            log.info("timeout after {} from {}", state, clientText());
            closeWith(replies.timeout);
            return;
        }
        boolean slow = expiry == SessionDeadlines.Expiry.DATA_RATE;
        // Nothing was acknowledged, so nothing of the message stays.
        log.info("{}: DATA from {} cut after {} bytes: {}", message.id(), clientText(), message.size(),
                slow ? "below the minimum data rate" : "longer than the maximum data time");
        message.abort();
        message = null;
        closeWith(slow ? replies.dataTooSlow : replies.dataTooLong);
    }

    @Override
    public InetAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public String heloName() {
        return heloName;
    }

    @Override
    public boolean esmtp() {
        return esmtp;
    }

    @Override
    public boolean tlsActive() {
        return false;
    }

    private String clientText() {
        return clientAddress == null ? "unknown" : clientAddress.getHostAddress();
    }
}
