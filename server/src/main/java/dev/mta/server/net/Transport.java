package dev.mta.server.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The socket transport: native epoll when its library loads, Java NIO otherwise. */
public final class Transport {
    private final String name;
    private final IoHandlerFactory ioHandler;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> clientChannel;
    private final Class<? extends DatagramChannel> datagramChannel;

    private Transport(String name, IoHandlerFactory ioHandler, Class<? extends ServerChannel> serverChannel,
                      Class<? extends SocketChannel> clientChannel, Class<? extends DatagramChannel> datagramChannel) {
        this.name = name;
        this.ioHandler = ioHandler;
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
        this.datagramChannel = datagramChannel;
    }

    /** The best transport this machine offers. */
    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class, EpollDatagramChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class);
    }

    /** A group of event loops named {@code name-N}; 0 threads means Netty's default (twice the cores). */
    public EventLoopGroup newGroup(String name, int threads) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), ioHandler);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return clientChannel;
    }

    /** For DNS queries. */
    public Class<? extends DatagramChannel> datagramChannel() {
        return datagramChannel;
    }

    public String name() {
        return name;
    }
}
