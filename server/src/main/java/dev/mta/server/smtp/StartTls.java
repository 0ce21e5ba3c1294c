package dev.mta.server.smtp;

import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS (RFC 3207) for one session, and the defence against command injection across it (CVE-2011-0411): after
 * the {@code 220}, nothing the client sent in plaintext behind STARTTLS is ever executed. In this order, all on the
 * event loop while the STARTTLS line is being handed on: the framer is paused ({@link InputPause.Reason#TLS_HANDSHAKE})
 * so the rest of this read is not decoded, its leftovers are thrown away ({@link SmtpFrameDecoder#discardBuffered()}),
 * the session goes to {@link SessionState#TLS_HANDSHAKE}, the {@code 220} is written and flushed in plaintext, and
 * the {@code SslHandler} goes to the head of the pipeline, so every byte read from then on (the next segment too) is
 * TLS or a failed handshake. When the handshake is done the session starts over in {@link SessionState#CONNECTED}
 * with TLS active, and the framer resumes with only decrypted input.
 */
final class StartTls {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    static final String HANDLER_NAME = "tls";
    static final SmtpReply READY = SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    static final SmtpReply ALREADY_ACTIVE = SmtpReply.of(503, "5.5.1", "Error: TLS already active");
    /** How long a client may take over its handshake. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    private final TlsContexts contexts;
    private final SmtpFrameDecoder framer;
    private final InputPause pause;
    private final Conversation talk;
    private ChannelHandlerContext ctx;

    /** @param contexts the server's TLS, or null when it offers none */
    StartTls(TlsContexts contexts, SmtpFrameDecoder framer, InputPause pause, Conversation talk) {
        this.contexts = contexts;
        this.framer = framer;
        this.pause = pause;
        this.talk = talk;
    }

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    boolean available() {
        return contexts != null;
    }

    /** The {@code SslHandler} for a new handshake with the context in force (implicit TLS puts it first at connect). */
    static SslHandler newHandler(TlsContexts contexts, ChannelHandlerContext ctx) {
        SslHandler h = contexts.current().newHandler(ctx.alloc());
        h.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
        return h;
    }

    /** STARTTLS was accepted: the 220, then the handshake; nothing pipelined behind it survives. */
    void begin() {
        pause.pause(InputPause.Reason.TLS_HANDSHAKE);
        int dropped = framer.discardBuffered();
        if (dropped > 0) {
            log.info("discarded {} bytes pipelined after STARTTLS by {}", dropped, talk.clientText());
        }
        talk.startingTls();
        SslHandler tls;
        try {
            tls = newHandler(contexts, ctx);
        } catch (RuntimeException e) {
            log.error("cannot start TLS for {}: {}", talk.clientText(), e.toString());
            ctx.close();
            return;
        }
        // Written and flushed before the SslHandler exists: this reply, and any still unflushed before it, leave plain.
        ctx.writeAndFlush(READY);
        talk.commands().replied(READY.code());
        ctx.pipeline().addFirst(HANDLER_NAME, tls);
    }

    /** The handshake's end: on success the session starts over under TLS; on failure the connection closes. */
    void handshakeDone(SslHandshakeCompletionEvent evt) {
        if (!evt.isSuccess()) {
            log.info("TLS handshake with {} failed: {}", talk.clientText(), evt.cause().toString());
            ctx.close();
            return;
        }
        SslHandler h = ctx.pipeline().get(SslHandler.class);
        if (h != null) {
            log.debug("TLS with {}: {} {}", talk.clientText(), h.engine().getSession().getProtocol(),
                    h.engine().getSession().getCipherSuite());
        }
        talk.tlsEstablished();
        pause.resume(InputPause.Reason.TLS_HANDSHAKE);
    }
}
