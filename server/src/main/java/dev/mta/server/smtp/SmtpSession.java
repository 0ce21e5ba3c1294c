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
import dev.mta.queue.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.StorageFullException;
import dev.mta.server.config.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One SMTP conversation: the RFC 5321 state machine over commands from {@link dev.mta.protocol.codec.SmtpCommandDecoder}
 * and content from {@link SmtpFrameDecoder}. Everything runs on the channel's event loop; storage answers come back
 * to it. While an answer waits on the disk the framer is paused, so pipelined commands behind it keep their order.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final ServerConfig config;
    private final ServerReplies replies;
    private final MessageStore store;
    private final SmtpFrameDecoder framer;

    private ChannelHandlerContext ctx;
    private InetAddress clientAddress;
    private SessionState state = SessionState.CONNECTED;
    private String heloName;
    private boolean esmtp;
    private Transaction transaction;
    private IncomingMessage message;
    private long messageSize;
    private boolean oversize;
    private boolean awaitingCommit;
    private boolean backpressured;
    private boolean shuttingDown;
    private boolean closing;
    private int errors;
    private long lastActivity;
    private ScheduledFuture<?> timer;

    SmtpSession(ServerConfig config, ServerReplies replies, MessageStore store, SmtpFrameDecoder framer) {
        this.config = config;
        this.replies = replies;
        this.store = store;
        this.framer = framer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientAddress = remote == null ? null : remote.getAddress();
        lastActivity = System.nanoTime();
        armTimer(checkInterval());
        ctx.writeAndFlush(replies.greeting);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
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
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
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
            if (evt == ShutdownSignal.NOW || (state != SessionState.DATA && !awaitingCommit)) {
                closeWith(replies.shuttingDown);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection error from {}: {}", clientText(), cause.toString());
        } else {
            log.warn("session error from {}", clientText(), cause);
        }
        ctx.close();
    }

    // ---- commands -------------------------------------------------------------------------------------------

    private void onCommand(SmtpCommand cmd) {
        if (cmd.isRejected()) {
            error(cmd.rejection());
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
        // A second HELO/EHLO acts as RSET (RFC 5321 4.1.4).
        resetTransaction();
        heloName = cmd.argument();
        esmtp = cmd.verb() == SmtpVerb.EHLO;
        state = SessionState.GREETED;
        reply(esmtp ? replies.ehlo : replies.helo);
    }

    private void mail(SmtpCommand cmd) {
        if (state == SessionState.CONNECTED) {
            error(Replies.SEND_HELO_FIRST);
        } else if (transaction != null) {
            error(Replies.NESTED_MAIL);
        } else if (cmd.mailParameters().declaredSize() > config.maxMessageSize()) {
            reply(replies.declaredSizeTooBig);
        } else {
            transaction = new Transaction(cmd.path(), cmd.parameters().toString(), cmd.mailParameters());
            state = SessionState.MAIL;
            reply(Replies.SENDER_OK);
        }
    }

    private void rcpt(SmtpCommand cmd) {
        MailPath path = cmd.path();
        if (transaction == null) {
            error(state == SessionState.CONNECTED ? Replies.SEND_HELO_FIRST : Replies.NEED_MAIL);
        } else if (path.isUtf8() && !transaction.parameters.smtputf8()) {
            error(Replies.NON_ASCII_WITHOUT_SMTPUTF8);
        } else if (transaction.recipients.size() >= config.maxRecipients()) {
            reply(Replies.TOO_MANY_RECIPIENTS);
        } else {
            // <Postmaster> without a domain means this server's postmaster (RFC 5321 4.1.1.3).
            transaction.recipients.add(path.isBarePostmaster()
                    ? path.localPart() + "@" + config.hostname() : path.address());
            state = SessionState.RCPT;
            reply(Replies.RECIPIENT_OK);
        }
    }

    private void data() {
        if (transaction == null) {
            error(state == SessionState.CONNECTED ? Replies.SEND_HELO_FIRST : Replies.NEED_MAIL);
            return;
        }
        if (transaction.recipients.isEmpty()) {
            error(Replies.NEED_RCPT);
            return;
        }
        if (shuttingDown) {
            closeWith(replies.shuttingDown);
            return;
        }
        Envelope envelope = new Envelope(transaction.sender.address(), transaction.rawParameters,
                transaction.recipients, clientText(), heloName, withProtocol());
        message = store.receive(envelope);
        messageSize = 0;
        oversize = false;
        String received = ReceivedHeader.format(heloName, clientAddress, config.hostname(), withProtocol(),
                message.id(), transaction.recipients.size() == 1 ? transaction.recipients.get(0) : null,
                ZonedDateTime.now());
        writeContent(Unpooled.wrappedBuffer(received.getBytes(StandardCharsets.UTF_8)));
        state = SessionState.DATA;
        framer.startData();
        reply(Replies.START_DATA);
    }

    /** The Received "with" keyword: RFC 3848 for (E)SMTP, RFC 6531 for UTF8SMTP. */
    private String withProtocol() {
        if (transaction != null && transaction.parameters.smtputf8()) {
            return "UTF8SMTP";
        }
        return esmtp ? "ESMTP" : "SMTP";
    }

    // ---- message content ------------------------------------------------------------------------------------

    private void onContent(DataChunk chunk) {
        if (message == null || oversize) {
            chunk.release();
            return;
        }
        messageSize += chunk.content().readableBytes();
        if (messageSize > config.maxMessageSize()) {
            // Keep reading to the end of data, so the session can go on after the 552.
            oversize = true;
            chunk.release();
            message.abort();
            return;
        }
        writeContent(chunk.content());
    }

    private void writeContent(ByteBuf data) {
        if (!message.write(data) && !backpressured) {
            backpressured = true;
            framer.pause();
            message.whenDrained(() -> ctx.executor().execute(() -> {
                backpressured = false;
                resumeIfIdle();
            }));
        }
    }

    private void onEndOfData(EndOfData end) {
        IncomingMessage m = message;
        message = null;
        state = SessionState.GREETED;
        if (oversize) {
            finishTransaction(Replies.MESSAGE_TOO_BIG);
            return;
        }
        if (end.hasBareLineEnding()) {
            m.abort();
            log.info("{}: rejected from {}: bare CR or LF in content", m.id(), clientText());
            finishTransaction(Replies.BARE_LINE_ENDING_IN_DATA);
            return;
        }
        awaitingCommit = true;
        framer.pause();
        final Transaction tx = transaction;
        final long size = messageSize;
        m.commit().whenComplete((id, failure) -> ctx.executor().execute(() -> committed(m, tx, size, failure)));
    }

    private void committed(IncomingMessage m, Transaction tx, long size, Throwable failure) {
        awaitingCommit = false;
        if (failure == null) {
            log.info("{}: from=<{}> size={} nrcpt={} client={} queued", m.id(), tx.sender.address(), size,
                    tx.recipients.size(), clientText());
            finishTransaction(ServerReplies.queued(m.id()));
        } else {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            boolean full = cause instanceof StorageFullException;
            log.warn("{}: could not queue message from {}: {}", m.id(), clientText(), cause.toString());
            finishTransaction(full ? Replies.STORAGE_FULL : Replies.LOCAL_ERROR);
        }
        if (shuttingDown) {
            closeWith(replies.shuttingDown);
            return;
        }
        resumeIfIdle();
        ctx.flush();
    }

    private void finishTransaction(SmtpReply reply) {
        transaction = null;
        reply(reply);
    }

    private void resumeIfIdle() {
        if (!awaitingCommit && !backpressured && !closing) {
            lastActivity = System.nanoTime();
            framer.resume();
        }
    }

    private void resetTransaction() {
        transaction = null;
        if (state != SessionState.CONNECTED) {
            state = SessionState.GREETED;
        }
    }

    // ---- replies, errors, closing ---------------------------------------------------------------------------

    private void reply(SmtpReply reply) {
        ctx.write(reply, ctx.voidPromise());
    }

    /** A reply to a bad command: counted, and past the limit the session ends (as Postfix's hard error limit). */
    private void error(SmtpReply reply) {
        if (++errors >= config.maxErrors()) {
            closeWith(Replies.TOO_MANY_ERRORS);
        } else {
            reply(reply);
        }
    }

    private void closeWith(SmtpReply reply) {
        if (closing) {
            return;
        }
        closing = true;
        framer.pause();
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    private void armTimer(long delayNanos) {
        timer = ctx.executor().schedule(this::checkTimeout, delayNanos, TimeUnit.NANOSECONDS);
    }

    // RFC 5321 4.5.3.2: the server waits at least 5 minutes for the next command or the next piece of content.
    private void checkTimeout() {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (awaitingCommit || backpressured) {
            // We are the slow side, not the client.
            lastActivity = now;
        }
        long limit = (state == SessionState.DATA ? config.dataTimeout() : config.commandTimeout()).toNanos();
        long idle = now - lastActivity;
        if (idle >= limit && !closing) {
            log.info("timeout after {} from {}", state, clientText());
            closeWith(replies.timeout);
        } else if (!closing) {
            // Never sleep past the shorter limit: the state, and so the limit, may change before the next check.
            armTimer(Math.max(Math.min(limit - idle, checkInterval()), TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }

    private long checkInterval() {
        return Math.min(config.commandTimeout().toNanos(), config.dataTimeout().toNanos());
    }

    private String clientText() {
        return clientAddress == null ? "unknown" : clientAddress.getHostAddress();
    }
}
