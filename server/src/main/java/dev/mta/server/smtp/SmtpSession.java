package dev.mta.server.smtp;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;

import dev.mta.protocol.codec.DataChunk;
import dev.mta.protocol.codec.EndOfData;
import dev.mta.protocol.codec.FramingError;
import dev.mta.protocol.codec.ResponseLine;
import dev.mta.server.auth.AuthFailures;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.queue.MessageStore;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.policy.StandardPolicies;
import dev.mta.server.policy.Verdict;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * One SMTP conversation's Netty glue: hands commands from {@link dev.mta.protocol.codec.SmtpCommandDecoder} to
 * {@link CommandHandler} and content from {@link SmtpFrameDecoder} to {@link MessageReceiver}, and turns the
 * channel's events (writability, the end of the connection, shutdown, errors, deadlines) into pauses and closes.
 * Everything runs on the channel's event loop; storage answers come back to it. While an answer waits on the disk,
 * or replies wait for a client that does not read them, the framer is paused ({@link InputPause}), so pipelined
 * commands behind it keep their order and no session's memory grows.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final ServerReplies replies;
    private final SessionPolicy policies;
    private final SessionDeadlines deadlines;
    private final InputPause pause;
    private final Conversation talk = new Conversation();
    private final SessionChannel out;
    private final MessageReceiver receiver;
    private final CommandHandler commands;
    private final StartTls startTls;
    private final AuthExchange auth;
    private final MailEvents events;
    private ChannelHandlerContext ctx;
    private long openedAt;

    /** A session under the standard policies. */
    SmtpSession(ServerConfig config, ServerReplies replies, MessageStore store, EnvelopeBudget envelopes,
                SmtpFrameDecoder framer) {
        this(config, replies, StandardPolicies.of(config, store), store, envelopes, framer, MailEvents.NONE);
    }

    SmtpSession(ServerConfig config, ServerReplies replies, SessionPolicy policies, MessageStore store,
                EnvelopeBudget envelopes, SmtpFrameDecoder framer) {
        this(config, replies, policies, store, envelopes, framer, MailEvents.NONE);
    }

    SmtpSession(ServerConfig config, ServerReplies replies, SessionPolicy policies, MessageStore store,
                EnvelopeBudget envelopes, SmtpFrameDecoder framer, MailEvents events) {
        this(config, replies, policies, store, envelopes, framer, events, null);
    }

    /** A session that offers STARTTLS with {@code tls} (null: no TLS). */
    SmtpSession(ServerConfig config, ServerReplies replies, SessionPolicy policies, MessageStore store,
                EnvelopeBudget envelopes, SmtpFrameDecoder framer, MailEvents events, TlsContexts tls) {
        this(config, replies, policies, store, envelopes, framer, events, tls, AuthSettings.NONE, new AuthFailures(),
                DEFAULT_AUTH_FAILURE_DELAY_MILLIS);
    }

    /** The delay before a failed authentication is answered, by default. */
    static final long DEFAULT_AUTH_FAILURE_DELAY_MILLIS = dev.mta.server.auth.PasswordCheck.DEFAULT_FAILURE_DELAY_MILLIS;

    /** A session that offers STARTTLS with {@code tls} (null: no TLS) and AUTH as {@code auth} says. */
    SmtpSession(ServerConfig config, ServerReplies replies, SessionPolicy policies, MessageStore store,
                EnvelopeBudget envelopes, SmtpFrameDecoder framer, MailEvents events, TlsContexts tls,
                AuthSettings auth, AuthFailures authFailures, long authFailureDelayMillis) {
        this.events = events;
        this.replies = replies;
        this.policies = policies;
        this.deadlines = new SessionDeadlines(config, System::nanoTime);
        this.pause = new InputPause(framer, deadlines);
        this.out = new SessionChannel(config.maxErrors(), pause, talk);
        JunkCommands junk = new JunkCommands(config.maxJunkCommands());
        this.receiver = new MessageReceiver(config, replies, store, framer, deadlines, pause, junk, talk, out, events,
                auth.bareNewline());
        this.startTls = new StartTls(tls, framer, pause, talk);
        this.auth = new AuthExchange(auth, authFailures, authFailureDelayMillis, talk, out);
        this.commands = new CommandHandler(config, replies, policies, envelopes, junk, talk, out, receiver, startTls,
                this.auth);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        out.attach(ctx);
        startTls.attach(ctx);
        auth.attach(ctx);
        pause.attach(ctx.channel());
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        talk.connected(remote == null ? null : remote.getAddress());
        openedAt = System.currentTimeMillis();
        events.connectionOpened(new MailEvent.ConnectionOpened(talk.clientAddress()));
        deadlines.start(ctx.executor(), this::deadlinePassed);
        Verdict verdict = policies.onConnect(talk);
        if (verdict.isPending()) {
            out.await(verdict, this::greet);
        } else {
            greet(verdict);
        }
        ctx.fireChannelActive();
    }

    /** This session's listener's metrics (before the connection is active). */
    SmtpSession observedBy(SmtpObserver observer) {
        out.observe(observer);
        return this;
    }

    private void greet(Verdict verdict) {
        if (verdict.accepted()) {
            out.observer().connectionResult(SmtpObserver.ConnectionResult.ACCEPTED);
            ctx.writeAndFlush(replies.greeting);
        } else {
            out.observer().connectionResult(SmtpObserver.ConnectionResult.REFUSED_POLICY);
            out.closeWith(verdict.reply()); // no session for this client: its refusal instead of the greeting
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        deadlines.activity();
        if (out.closing()) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof DataChunk) {
            receiver.content((DataChunk) msg);
        } else if (msg instanceof SmtpCommand) {
            commands.onCommand((SmtpCommand) msg);
        } else if (msg instanceof ResponseLine) {
            auth.response((ResponseLine) msg);
        } else if (msg instanceof EndOfData) {
            receiver.endOfData((EndOfData) msg);
        } else if (msg instanceof FramingError) {
            SmtpReply reply = msg == FramingError.LINE_TOO_LONG ? Replies.LINE_TOO_LONG : Replies.BARE_LF_IN_COMMAND;
            if (!auth.abortedBy(reply)) {
                out.error(reply);
            }
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
        if (this.ctx != null) {
            events.connectionClosed(new MailEvent.ConnectionClosed(talk.clientAddress(),
                    System.currentTimeMillis() - openedAt, receiver.queued(), talk.commands().counts()));
        }
        deadlines.stop();
        talk.endTransaction();
        receiver.connectionLost();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            if (this.ctx != null && !out.closing()) {
                startTls.handshakeDone((SslHandshakeCompletionEvent) evt);
            }
            return;
        }
        if (evt instanceof ShutdownSignal) {
            if (this.ctx == null) {
                return; // refused by the connection limit, never greeted
            }
            out.shutDown();
            // A message in flight may finish within the grace period; anything else ends now.
            if (evt == ShutdownSignal.NOW || !receiver.inFlight()) {
                out.closeWith(replies.shuttingDown);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (out.closing() && cause instanceof ClosedChannelException) {
            return; // replies still queued when a connection is reset fail one by one: nothing to report
        }
        OutOfMemoryError oom = outOfMemory(cause);
        if (oom != null) {
            // One line, no stack trace: when memory runs out it does so for many sessions at once.
            log.warn("closing session from {}: {}", talk.clientText(), oom.toString());
        } else if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            // Not TLS after STARTTLS's 220 (plaintext pipelined in a later segment among it), or a failed handshake.
            // The cause's text, not the throwable: SLF4J would print a stack trace for every bad handshake.
            log.info("TLS error from {}: {}", talk.clientText(),
                    String.valueOf(cause.getCause() != null ? cause.getCause() : cause));
        } else if (cause instanceof IOException) {
            log.debug("connection error from {}: {}", talk.clientText(), cause.toString());
        } else {
            log.warn("session error from {}", talk.clientText(), cause);
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

    // RFC 5321 4.5.3.2: the server waits at least 5 minutes for the next command or the next piece of content.
    private void deadlinePassed(SessionDeadlines.Expiry expiry) {
        if (out.closing() || !ctx.channel().isActive()) {
            return;
        }
        if (expiry == SessionDeadlines.Expiry.IDLE) {
            log.info("timeout after {} from {}", talk.state(), talk.clientText());
            out.closeWith(replies.timeout);
            return;
        }
        boolean slow = expiry == SessionDeadlines.Expiry.DATA_RATE;
        receiver.cut(slow);
        out.closeWith(slow ? replies.dataTooSlow : replies.dataTooLong);
    }
}
