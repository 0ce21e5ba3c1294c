package dev.mta.server.pop3;

import dev.mta.mailbox.maildir.MailRoot;
import dev.mta.mailbox.maildrop.MaildropLocks;
import dev.mta.protocol.codec.FramingError;
import dev.mta.protocol.codec.ResponseLine;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.pop3.Capabilities;
import dev.mta.protocol.pop3.Pop3Command;
import dev.mta.protocol.pop3.Pop3Reply;
import dev.mta.protocol.pop3.Pop3State;
import dev.mta.protocol.pop3.Pop3Verb;
import dev.mta.protocol.pop3.ResponseCode;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.auth.PasswordCheck;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * One POP3 conversation's Netty glue (RFC 1939): the greeting, each command checked against the state it may be given
 * in and handed to the part that does it ({@link Pop3Login}, {@link Pop3Transaction}, {@link MessageStream},
 * {@link Pop3StartTls}), and the channel's events (writability, the end of the connection, the inactivity timer,
 * shutdown, TLS) turned into pauses and closes. One flush per batch of input, so pipelined replies leave together.
 */
final class Pop3Session extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    static final Pop3Reply GREETING = Pop3Reply.ok("POP3 server ready");
    static final Pop3Reply BYE = Pop3Reply.ok("Bye");
    static final Pop3Reply LINE_TOO_LONG = Pop3Reply.err("Line too long");
    static final Pop3Reply BARE_LF = Pop3Reply.err("Line must end with CRLF");
    static final Pop3Reply APOP_UNSUPPORTED = Pop3Reply.err("APOP not supported");
    static final Pop3Reply SHUTTING_DOWN = Pop3Reply.err(ResponseCode.SYS_TEMP, "Server shutting down");
    static final Pop3Reply LOCKED_OUT = Pop3Reply.err(ResponseCode.SYS_TEMP,
            "Too many failed authentications from your address, try later");

    /** What every session of a server shares. */
    record Shared(MailRoot mailRoot, MaildropLocks locks, Executor disk, TlsContexts tls, PasswordCheck check,
                  AuthFailures failures, boolean allowPlaintext, String implementation, Pop3Observer observer) {
    }

    private final Shared shared;
    private final SmtpFrameDecoder framer;
    private final Pop3Input input;
    private final Pop3Out out;
    private final Pop3Conversation talk = new Pop3Conversation();
    private Pop3StartTls startTls;
    private Pop3Login login;
    private Pop3Transaction transaction;
    private MessageStream stream;
    private ChannelHandlerContext ctx;

    Pop3Session(Shared shared, SmtpFrameDecoder framer) {
        this.shared = shared;
        this.framer = framer;
        this.input = new Pop3Input(framer);
        this.out = new Pop3Out(input);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        out.attach(ctx);
        input.attach(ctx.channel());
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        talk.connected(remote == null ? null : remote.getAddress(), ctx.pipeline().get(SslHandler.class) != null);
        SessionDisk disk = new SessionDisk(shared.disk(), ctx.executor());
        startTls = new Pop3StartTls(shared.tls(), framer, input, talk, out);
        transaction = new Pop3Transaction(shared.mailRoot(), shared.locks(), disk, talk, out, input, shared.observer());
        login = new Pop3Login(shared.check(), shared.allowPlaintext(), talk, out, input, shared.observer(),
                transaction::open);
        stream = new MessageStream(disk, out, input, transaction);
        if (shared.failures().lockedOut(talk.client())) {
            out.closeWith(LOCKED_OUT); // as SMTP's AuthLockout: the address failed too often, for a while
        } else {
            shared.observer().sessionOpened();
            ctx.writeAndFlush(GREETING); // under implicit TLS it waits in the SslHandler for the handshake
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (out.closing()) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof Pop3Command cmd) {
            command(cmd);
        } else if (msg instanceof ResponseLine line) {
            login.response(line);
        } else if (msg instanceof FramingError e) {
            Pop3Reply reply = e == FramingError.LINE_TOO_LONG ? LINE_TOO_LONG : BARE_LF;
            if (!login.abortedBy(reply)) {
                out.error(reply);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void command(Pop3Command cmd) {
        if (cmd.isRejected()) {
            out.error(cmd.rejection());
            return;
        }
        Pop3Verb verb = cmd.verb();
        Pop3State state = talk.state();
        if (!verb.validIn(state)) {
            out.error(Pop3Reply.err(state == Pop3State.AUTHORIZATION ? "Not logged in" : "Not permitted now"));
            return;
        }
        switch (verb) {
            case CAPA -> out.reply(new Capabilities(login.allowed(), startTls.offered(), shared.implementation())
                    .reply(state));
            case QUIT -> {
                if (state == Pop3State.TRANSACTION) {
                    transaction.quit();
                } else {
                    out.closeWith(BYE); // RFC 1939 6: QUIT before login removes nothing
                }
            }
            case USER -> login.user(cmd);
            case PASS -> login.pass(cmd);
            case AUTH -> login.auth(cmd);
            case APOP -> out.error(APOP_UNSUPPORTED); // no plaintext passwords are stored to compute its digest
            case STLS -> startTls.begin();
            case STAT -> transaction.stat();
            case LIST -> transaction.list(cmd);
            case UIDL -> transaction.uidl(cmd);
            case DELE -> transaction.dele(cmd);
            case RSET -> transaction.rset();
            case NOOP -> transaction.noop();
            case RETR, TOP -> {
                int n = cmd.number(0);
                Pop3Reply problem = transaction.problem(n);
                if (problem != null) {
                    out.reply(problem); // as for LIST and DELE: not counted toward the bad commands
                } else {
                    stream.send(n, verb == Pop3Verb.TOP ? cmd.number(1) : 0, verb == Pop3Verb.RETR);
                }
            }
            default -> out.error(Pop3Reply.err("Unknown command"));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (this.ctx != null) {
            if (!ctx.channel().isWritable()) {
                ctx.flush();
            }
            if (ctx.channel().isWritable()) {
                input.resume(Pop3Input.Reason.UNWRITABLE);
                stream.writable();
            } else {
                input.pause(Pop3Input.Reason.UNWRITABLE);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (this.ctx != null) {
            stream.abandon();
            transaction.abandon("connection closed"); // no UPDATE: nothing is removed
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (this.ctx == null) {
            ctx.fireUserEventTriggered(evt);
        } else if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (input.paused(Pop3Input.Reason.TLS_HANDSHAKE)) {
                startTls.handshakeDone(hs);
                login.forget();
            } else if (!hs.isSuccess()) {
                log.info("pop3 TLS handshake with {} failed: {}", talk.clientText(), hs.cause().toString());
                out.closeSilently();
            }
        } else if (evt instanceof IdleStateEvent) {
            // RFC 1939 3: the autologout timer closes the connection without a response and without UPDATE.
            log.info("pop3 timeout in {} from {}", talk.state(), talk.clientText());
            transaction.abandon("timeout");
            out.closeSilently();
        } else if (evt == Pop3Server.SHUTDOWN) {
            transaction.abandon("shutdown");
            stream.abandon();
            out.closeWith(SHUTTING_DOWN);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            log.info("pop3 TLS error from {}: {}", talk.clientText(),
                    String.valueOf(cause.getCause() != null ? cause.getCause() : cause));
        } else if (cause instanceof IOException) {
            log.debug("pop3 connection error from {}: {}", talk.clientText(), cause.toString());
        } else {
            log.warn("pop3 session error from {}", talk.clientText(), cause);
        }
        ctx.close();
    }
}
