package dev.mta.server.pop3;

import dev.mta.protocol.pop3.Pop3Reply;
import dev.mta.protocol.pop3.ResponseCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A POP3 session's way out: replies (written now, flushed once per batch of input, so pipelined replies leave in one
 * write), the count of the client's bad commands, and the close after a last reply, which waits for that reply to
 * leave but not for long. Event loop only.
 */
final class Pop3Out {
    /** Bad commands in one session before it ends. */
    static final int MAX_ERRORS = 20;
    /** How long a last reply may take to leave before the connection is reset without it. */
    static final long LAST_REPLY_SECONDS = 5;
    static final Pop3Reply TOO_MANY_ERRORS = Pop3Reply.err("Too many bad commands, closing");

    private final Pop3Input input;
    private ChannelHandlerContext ctx;
    private int errors;
    private boolean closing;

    Pop3Out(Pop3Input input) {
        this.input = input;
    }

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    /** Written, not flushed. */
    void reply(Pop3Reply reply) {
        ctx.write(reply, ctx.voidPromise());
    }

    /** Any message the pipeline encodes (a chunk of a message being sent), written, not flushed. */
    void write(Object msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    /** A reply to a bad command; past {@link #MAX_ERRORS} the session ends instead. */
    void error(Pop3Reply reply) {
        if (++errors >= MAX_ERRORS) {
            closeWith(TOO_MANY_ERRORS);
        } else {
            reply(reply);
        }
    }

    /** The last reply: nothing more is read, and the connection closes once it has left (or is reset soon after). */
    void closeWith(Pop3Reply reply) {
        if (closing) {
            return;
        }
        closing = true;
        input.pause(Pop3Input.Reason.CLOSING);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> reset = ctx.executor().schedule(this::reset, LAST_REPLY_SECONDS, TimeUnit.SECONDS);
        ctx.channel().closeFuture().addListener(f -> reset.cancel(false));
    }

    /** Closes without a reply (RFC 1939 3: the inactivity timer). */
    void closeSilently() {
        closing = true;
        input.pause(Pop3Input.Reason.CLOSING);
        ctx.close();
    }

    private void reset() {
        if (ctx.channel().isOpen()) {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            ctx.close();
        }
    }

    boolean closing() {
        return closing;
    }

    /** Whether the session may still write: not closing, the connection open. */
    boolean open() {
        return !closing && ctx.channel().isActive();
    }

    static Pop3Reply temporary(String text) {
        return Pop3Reply.err(ResponseCode.SYS_TEMP, text);
    }
}
