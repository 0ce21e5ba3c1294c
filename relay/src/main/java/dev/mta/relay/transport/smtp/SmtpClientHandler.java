package dev.mta.relay.transport.smtp;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Matches replies to what was sent: every command that expects a reply registers a future, in order, and each
 * reply completes the oldest one, so pipelined commands get their own replies. A reply's timer runs only while it
 * is the oldest awaited and its command has left, so each pipelined reply gets its whole timeout counted from the
 * reply before it (RFC 5321 4.5.3.2 times each reply, not a batch). A reply not in time, or content the peer does
 * not take in time, fails everything awaited with a TimeoutException and closes the connection; a closed
 * connection fails them all.
 */
final class SmtpClientHandler extends ChannelInboundHandlerAdapter {
    private static final class Pending {
        final CompletableFuture<SmtpResponse> future = new CompletableFuture<>();
        final Duration timeout;
        final String what;
        boolean sent;
        ScheduledFuture<?> timer;
        /** Run on the event loop as the reply arrives, before anything read after it (see {@link #expectStartTls}). */
        java.util.function.Consumer<SmtpResponse> onArrival;

        Pending(Duration timeout, String what) {
            this.timeout = timeout;
            this.what = what;
        }
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Duration greetingTimeout;
    private final CompletableFuture<SmtpResponse> greeting = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private CompletableFuture<Void> writable;
    private ScheduledFuture<?> writableTimer;
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
        return expect(timeout, what, null);
    }

    /**
     * As {@link #expect(Duration, String)}, with the timer held until {@code sent} (the command's write, when not
     * null) has completed: the wait for a reply starts when the command has left, not while it queues behind
     * content the peer is slow to take.
     */
    CompletableFuture<SmtpResponse> expect(Duration timeout, String what, ChannelFuture sent) {
        Pending p = new Pending(timeout, what);
        if (closedBecause != null || !ctx.channel().isActive()) {
            p.future.completeExceptionally(new IOException("connection closed before " + what, closedBecause));
            return p.future;
        }
        pending.add(p);
        if (sent == null) {
            p.sent = true;
        } else {
            sent.addListener(f -> {
                p.sent = true;
                armOldest();
            });
        }
        armOldest();
        return p.future;
    }

    /**
     * The reply to STARTTLS: when it arrives, {@code onArrival} runs in the same read, before anything the server sent
     * after it is looked at, so it can put TLS in place and throw away the plain text that followed (response
     * injection, RFC 3207 5 / CVE-2011-0411's client-side twin).
     */
    CompletableFuture<SmtpResponse> expectStartTls(Duration timeout, java.util.function.Consumer<SmtpResponse> onArrival) {
        CompletableFuture<SmtpResponse> f = expect(timeout, "STARTTLS");
        Pending p = pending.peekLast();
        if (p != null && p.future == f) {
            p.onArrival = onArrival;
        }
        return f;
    }

    private void armOldest() {
        Pending p = pending.peek();
        if (p != null && p.sent && p.timer == null) {
            p.timer = ctx.executor().schedule(() -> {
                if (pending.peek() == p) {
                    abort(new ReplyTimeoutException(p.what, p.timeout));
                }
            }, p.timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SmtpResponse) {
            Pending p = pending.poll();
            if (p != null) {
                if (p.timer != null) {
                    p.timer.cancel(false);
                }
                if (p.onArrival != null) {
                    try {
                        p.onArrival.accept((SmtpResponse) msg);
                    } catch (RuntimeException e) {
                        p.future.completeExceptionally(e);
                        abort(e);
                        return;
                    }
                }
                p.future.complete((SmtpResponse) msg);
                armOldest();
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
            writableTimer.cancel(false);
            w.complete(null);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Completes when the channel can take more content (at once if it can now); fails with a
     * ContentTimeoutException, closing the connection, when the peer has not taken enough of what waits for that
     * within {@code within}, and with an IOException when the connection is closed. Event loop only.
     */
    CompletableFuture<Void> whenWritable(Duration within) {
        if (closedBecause != null || !ctx.channel().isActive()) {
            return CompletableFuture.failedFuture(new IOException("connection closed during DATA", closedBecause));
        }
        if (ctx.channel().isWritable()) {
            return CompletableFuture.completedFuture(null);
        }
        if (writable == null) {
            writable = new CompletableFuture<>();
            writableTimer = ctx.executor().schedule(() -> abort(new ContentTimeoutException(within)),
                    within.toMillis(), TimeUnit.MILLISECONDS);
        }
        return writable;
    }

    /** Closes the connection with a ContentTimeoutException unless {@code write} has left within {@code within}. */
    void whenWritten(ChannelFuture write, Duration within) {
        ScheduledFuture<?> timer = ctx.executor().schedule(() -> {
            if (!write.isDone()) {
                abort(new ContentTimeoutException(within));
            }
        }, within.toMillis(), TimeUnit.MILLISECONDS);
        write.addListener(f -> timer.cancel(false));
    }

    /** Ends the connection for {@code cause}, which everything still waiting fails with. */
    private void abort(Throwable cause) {
        if (closedBecause == null) {
            closedBecause = cause;
        }
        // Closed first, so whoever sees the failure finds the connection already closed.
        ctx.close();
        failAll(cause);
    }

    private void failAll(Throwable cause) {
        Pending p;
        while ((p = pending.poll()) != null) {
            if (p.timer != null) {
                p.timer.cancel(false);
            }
            p.future.completeExceptionally(cause);
        }
        if (writable != null) {
            CompletableFuture<Void> w = writable;
            writable = null;
            writableTimer.cancel(false);
            w.completeExceptionally(cause);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closedBecause = cause;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(new IOException("connection closed by peer", closedBecause));
        ctx.fireChannelInactive();
    }
}
