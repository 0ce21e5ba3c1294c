package dev.mta.server.smtp;

import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.admission.RefusalLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The greeting pause (Postfix postscreen's pregreet test): the session starts, and greets, only after a pause; a
 * client that sends anything before it is a bot that does not wait for the server, and gets {@code 554} and the
 * close. Then this handler leaves the pipeline.
 */
final class GreetingPause extends ChannelInboundHandlerAdapter {
    private final Duration pause;
    private final SmtpReply earlyTalker;
    private final SmtpReply shuttingDown;
    private final RefusalLog refusals;
    private final SmtpObserver observer;
    private ScheduledFuture<?> timer;
    private boolean done;

    GreetingPause(Duration pause, SmtpReply earlyTalker, SmtpReply shuttingDown, RefusalLog refusals) {
        this(pause, earlyTalker, shuttingDown, refusals, SmtpObserver.NONE);
    }

    GreetingPause(Duration pause, SmtpReply earlyTalker, SmtpReply shuttingDown, RefusalLog refusals,
                  SmtpObserver observer) {
        this.observer = observer;
        this.pause = pause;
        this.earlyTalker = earlyTalker;
        this.shuttingDown = shuttingDown;
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> greet(ctx), pause.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void greet(ChannelHandlerContext ctx) {
        if (done || !ctx.channel().isActive()) {
            return;
        }
        done = true;
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (done) {
            return; // refused already: the rest of what it sent goes too
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        refusals.refused(remote == null ? null : remote.getAddress(), "talked before the greeting");
        observer.connectionResult(SmtpObserver.ConnectionResult.EARLY_TALKER);
        end(ctx, earlyTalker);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ShutdownSignal && !done) {
            end(ctx, shuttingDown);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void end(ChannelHandlerContext ctx, SmtpReply reply) {
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.channel().config().setAutoRead(false);
        LastReply.sendAndClose(ctx.channel(), reply);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
