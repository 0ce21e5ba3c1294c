package dev.mta.server.pop3;

import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.pop3.Pop3Reply;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STLS (RFC 2595 4) for one session, with SMTP STARTTLS's guard against plaintext injection (CVE-2011-0411): on the
 * event loop, while the STLS line is handed on, the framer is paused, every byte it still holds (pipelined behind STLS
 * in the clear) is thrown away undecoded, the {@code +OK} is written and flushed in plaintext, and the
 * {@code SslHandler} goes to the head of the pipeline, so whatever is read next is TLS or a failed handshake. Once the
 * handshake is done the session is in AUTHORIZATION with no user named, and lines are read again.
 */
final class Pop3StartTls {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    static final String HANDLER_NAME = "tls";
    /** How long a client may take over its handshake. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 30_000;
    static final Pop3Reply READY = Pop3Reply.ok("Begin TLS negotiation");
    static final Pop3Reply NOT_AVAILABLE = Pop3Reply.err("TLS not available");
    static final Pop3Reply ALREADY_ACTIVE = Pop3Reply.err("Command not permitted when TLS active");

    private final TlsContexts contexts;
    private final SmtpFrameDecoder framer;
    private final Pop3Input input;
    private final Pop3Conversation talk;
    private final Pop3Out out;

    /** @param contexts the server's TLS, or null when it has none */
    Pop3StartTls(TlsContexts contexts, SmtpFrameDecoder framer, Pop3Input input, Pop3Conversation talk, Pop3Out out) {
        this.contexts = contexts;
        this.framer = framer;
        this.input = input;
        this.talk = talk;
        this.out = out;
    }

    /** Whether STLS is offered now. */
    boolean offered() {
        return contexts != null && !talk.tlsActive();
    }

    /** The {@code SslHandler} for a new handshake with the context in force. */
    static SslHandler newHandler(TlsContexts contexts, ChannelHandlerContext ctx) {
        SslHandler h = contexts.current().newHandler(ctx.alloc());
        h.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
        return h;
    }

    /** STLS in AUTHORIZATION. */
    void begin() {
        if (talk.tlsActive()) {
            out.error(ALREADY_ACTIVE);
            return;
        }
        if (contexts == null) {
            out.error(NOT_AVAILABLE);
            return;
        }
        ChannelHandlerContext ctx = out.ctx();
        input.pause(Pop3Input.Reason.TLS_HANDSHAKE);
        int dropped = framer.discardBuffered();
        if (dropped > 0) {
            log.info("pop3 discarded {} bytes pipelined after STLS by {}", dropped, talk.clientText());
        }
        SslHandler tls;
        try {
            tls = newHandler(contexts, ctx);
        } catch (RuntimeException e) {
            log.error("pop3 cannot start TLS for {}: {}", talk.clientText(), e.toString());
            out.closeWith(Pop3Out.temporary("TLS not available now"));
            return;
        }
        // Written and flushed before the SslHandler exists: this reply, and any unflushed before it, leave in the clear.
        ctx.writeAndFlush(READY);
        ctx.pipeline().addFirst(HANDLER_NAME, tls);
    }

    /** The handshake's end: TLS from now on and a fresh AUTHORIZATION, or the close. */
    void handshakeDone(SslHandshakeCompletionEvent evt) {
        if (!evt.isSuccess()) {
            log.info("pop3 TLS handshake with {} failed: {}", talk.clientText(), evt.cause().toString());
            out.closeSilently();
            return;
        }
        talk.tlsEstablished();
        input.resume(Pop3Input.Reason.TLS_HANDSHAKE);
    }
}
