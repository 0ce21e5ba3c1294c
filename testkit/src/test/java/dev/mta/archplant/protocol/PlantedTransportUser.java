package dev.mta.archplant.protocol;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Breaks "Netty only as far as codecs need it": a codec package that connects, owns event loops and channels. */
public final class PlantedTransportUser {
    public static Channel connect(EventLoopGroup group) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new io.netty.channel.ChannelInboundHandlerAdapter()).connect("127.0.0.1", 25).sync().channel();
    }
}
