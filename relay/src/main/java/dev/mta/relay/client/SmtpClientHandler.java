package dev.mta.relay.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Matches replies to what was sent: every command that expects a reply registers a future, in order, and each
 * reply completes the oldest one, so pipelined commands get their own replies. A future not answered in time fails
 * with a TimeoutException and the connection is closed; a closed connection fails them all.
 */
final class SmtpClientHandler extends ChannelInboundHandlerAdapter {
    private static final class Pending {
        final CompletableFuture<SmtpResponse> future = new CompletableFuture<>();
        ScheduledFuture<?> timer;
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Duration greetingTimeout;
    private final CompletableFuture<SmtpResponse> greeting = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private CompletableFuture<Void> writable;
    private Throwable closedBecause;

    SmtpClientHandler(Duration greetingTimeout) {
        this.greetingTimeout = greetingTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Before the first read, so the 220 can never arrive ahead of the one waiting for it.
        expect(greetingTimeout, "greeting").whenComplete((r, e) -> {
            if (e != null) {
                greeting.completeExceptionally(e);
            } else {
                greeting.complete(r);
            }
        });
        ctx.fireChannelActive();
    }

    /** The server's greeting. */
    CompletableFuture<SmtpResponse> greeting() {
        return greeting;
    }

    /** A reply to wait for, within {@code timeout}; call on the event loop, before or as the command is written. */
    CompletableFuture<SmtpResponse> expect(Duration timeout, String what) {
        Pending p = new Pending();
        if (closedBecause != null || !ctx.channel().isActive()) {
            p.future.completeExceptionally(new IOException("connection closed before " + what, closedBecause));
            return p.future;
        }
        pending.add(p);
        p.timer = ctx.executor().schedule(() -> {
            if (p.future.completeExceptionally(new TimeoutException("no reply to " + what + " within "
                    + timeout.toSeconds() + " s"))) {
                ctx.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return p.future;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SmtpResponse) {
            Pending p = pending.poll();
            if (p != null) {
                p.timer.cancel(false);
                p.future.complete((SmtpResponse) msg);
            }
            // An unsolicited reply (e.g. 421 before closing) with nothing pending is dropped; the close follows.
        } else {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && writable != null) {
            CompletableFuture<Void> w = writable;
            writable = null;
            w.complete(null);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Completes when the channel can take more writes (at once if it can now). Event loop only. */
    CompletableFuture<Void> whenWritable() {
        if (ctx.channel().isWritable() || !ctx.channel().isActive()) {
            return CompletableFuture.completedFuture(null);
        }
        if (writable == null) {
            writable = new CompletableFuture<>();
        }
        return writable;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closedBecause = cause;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException closed = new IOException("connection closed by peer", closedBecause);
        Pending p;
        while ((p = pending.poll()) != null) {
            if (p.timer != null) {
                p.timer.cancel(false);
            }
            p.future.completeExceptionally(closed);
        }
        if (writable != null) {
            writable.complete(null);
            writable = null;
        }
        ctx.fireChannelInactive();
    }
}
