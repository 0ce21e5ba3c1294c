package dev.mta.server.smtp;

import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.admission.Admission;
import dev.mta.server.admission.ClientTable;
import dev.mta.server.admission.RefusalLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First in the pipeline: a connection past the server's limit gets 421 4.3.2 instead of a greeting, and one past its
 * client's limits (connections open, connections a minute: {@link ClientTable}) gets 421 4.7.0.
 */
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private final AtomicInteger open;
    private final int max;
    private final ClientTable clients;
    private final Refusals refusals;
    private final SmtpObserver observer;
    private boolean refused;
    private InetAddress counted;

    /** The replies and log line of refusals, shared by all connections. */
    record Refusals(SmtpReply serverFull, SmtpReply tooManyFromClient, SmtpReply tooFastFromClient, RefusalLog log) {
    }

    ConnectionLimitHandler(AtomicInteger open, int max, ClientTable clients, Refusals refusals) {
        this(open, max, clients, refusals, SmtpObserver.NONE);
    }

    ConnectionLimitHandler(AtomicInteger open, int max, ClientTable clients, Refusals refusals, SmtpObserver observer) {
        this.observer = observer;
        this.open = open;
        this.max = max;
        this.clients = clients;
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetAddress client = remote == null ? null : remote.getAddress();
        observer.connectionOpened();
        if (open.incrementAndGet() > max) {
            observer.connectionResult(SmtpObserver.ConnectionResult.REFUSED_LIMIT);
            refuse(ctx, client, refusals.serverFull(), "server connection limit reached");
            return;
        }
        Admission a = clients.admit(client);
        if (a == Admission.COUNTED) {
            counted = client;
        } else if (a == Admission.TOO_MANY_CONNECTIONS) {
            observer.connectionResult(SmtpObserver.ConnectionResult.REFUSED_CLIENT_LIMIT);
            refuse(ctx, client, refusals.tooManyFromClient(), "too many connections from this client");
            return;
        } else if (a == Admission.TOO_FAST) {
            observer.connectionResult(SmtpObserver.ConnectionResult.REFUSED_RATE);
            refuse(ctx, client, refusals.tooFastFromClient(), "connection rate limit exceeded");
            return;
        }
        ctx.fireChannelActive();
    }

    private void refuse(ChannelHandlerContext ctx, InetAddress client, SmtpReply reply, String reason) {
        refused = true;
        refusals.log().refused(client, reason);
        ctx.channel().config().setAutoRead(false);
        // From the channel, not this context: the reply must pass the encoder further down the pipeline.
        LastReply.sendAndClose(ctx.channel(), reply);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        observer.connectionClosed();
        if (counted != null) {
            clients.release(counted);
        }
        ctx.fireChannelInactive();
    }
}
