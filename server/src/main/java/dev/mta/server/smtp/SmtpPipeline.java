package dev.mta.server.smtp;

import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.codec.SmtpReplyEncoder;
import dev.mta.queue.MessageStore;
import dev.mta.queue.events.MailEvents;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.admission.ClientTable;
import dev.mta.server.admission.RefusalLog;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handlers each accepted connection gets, in order: the connection limits, the greeting pause (SMTP listener
 * only, with {@code --greet-pause}), the strict CRLF framer, the command decoder, the reply encoder and the session;
 * on the implicit-TLS listener an {@code SslHandler} before them all. Built from what every listener's connections
 * share: the configuration, replies, queue, budgets, TLS, AUTH and the client table.
 */
final class SmtpPipeline {
    private final ServerConfig config;
    private final ServerReplies replies;
    private final MessageStore store;
    private final EnvelopeBudget envelopes;
    private final MailEvents events;
    private final TlsContexts tls;
    private final AuthSettings auth;
    private final AuthFailures authFailures;
    private final long authFailureDelayMillis;
    private final ClientLimits clientLimits;
    private final ClientTable clients;
    private final RefusalLog refusalLog;
    private final ConnectionLimitHandler.Refusals refusals;
    /** Connections open right now, all listeners together (the server's limit). */
    private final AtomicInteger openConnections;
    /** Every session's channel, for the shutdown. */
    private final ChannelGroup sessions;

    SmtpPipeline(ServerConfig config, ServerReplies replies, MessageStore store, EnvelopeBudget envelopes,
                 MailEvents events, TlsContexts tls, AuthSettings auth, AuthFailures authFailures,
                 long authFailureDelayMillis, ClientLimits clientLimits, ClientTable clients, RefusalLog refusalLog,
                 AtomicInteger openConnections, ChannelGroup sessions) {
        this.config = config;
        this.replies = replies;
        this.store = store;
        this.envelopes = envelopes;
        this.events = events;
        this.tls = tls;
        this.auth = auth;
        this.authFailures = authFailures;
        this.authFailureDelayMillis = authFailureDelayMillis;
        this.clientLimits = clientLimits;
        this.clients = clients;
        this.refusalLog = refusalLog;
        this.refusals = new ConnectionLimitHandler.Refusals(replies.tooManyConnections, replies.tooManyFromClient,
                replies.tooFastFromClient, refusalLog);
        this.openConnections = openConnections;
        this.sessions = sessions;
    }

    /** What sets up each connection of a {@code kind} listener, whose sessions run {@code policies}. */
    ChannelInitializer<SocketChannel> initializer(ListenerKind kind, SessionPolicy policies, SmtpObserver observer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                build(ch, kind, policies, observer);
            }
        };
    }

    private void build(SocketChannel ch, ListenerKind kind, SessionPolicy policies, SmtpObserver observer) {
        sessions.add(ch);
        SmtpFrameDecoder framer = new SmtpFrameDecoder(config.maxLineLength());
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", new ConnectionLimitHandler(openConnections, config.maxConnections(), clients,
                refusals, observer));
        if (kind == ListenerKind.SMTP && !clientLimits.greetPause().isZero()) {
            p.addLast("greet-pause", new GreetingPause(clientLimits.greetPause(), replies.earlyTalker,
                    replies.shuttingDown, refusalLog, observer));
        }
        p.addLast("framer", framer);
        p.addLast("commands", new SmtpCommandDecoder());
        p.addLast("replies", SmtpReplyEncoder.INSTANCE);
        p.addLast("session", new SmtpSession(config, replies, policies, store, envelopes,
                framer, events, tls, auth, authFailures, authFailureDelayMillis)
                .observedBy(observer)); // under implicit TLS, STARTTLS is 503
        if (kind == ListenerKind.SMTPS) {
            // RFC 8314: TLS from the first byte; the greeting waits in the SslHandler for the handshake.
            SslHandler h = tls.current().newHandler(ch.alloc());
            h.setHandshakeTimeoutMillis(StartTls.HANDSHAKE_TIMEOUT_MILLIS);
            p.addFirst(StartTls.HANDLER_NAME, h);
        }
    }
}
