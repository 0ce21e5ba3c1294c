package dev.mta.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal, fast SMTP sink for the load tests that can stall: for a while every reply on every connection is
 * held back, then written in order (as a server in a long GC pause or an fsync that hangs).
 */
final class StallingSmtpServer implements AutoCloseable {
    final AtomicInteger accepted = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;
    private volatile long stallUntil = System.nanoTime();

    StallingSmtpServer() throws InterruptedException {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(8192), new Session());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** From now on, for {@code d}, no reply leaves. */
    void stallFor(Duration d) {
        stallUntil = System.nanoTime() + d.toNanos();
    }

    @Override
    public void close() {
        listener.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Session extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<String> held = new ArrayDeque<>();
        private boolean data;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            reply(ctx, "220 stalling.test ESMTP");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            try {
                String s = line.toString(StandardCharsets.US_ASCII);
                if (data) {
                    if (s.equals(".")) {
                        data = false;
                        accepted.incrementAndGet();
                        reply(ctx, "250 2.0.0 ok");
                    }
                    return;
                }
                String verb = s.length() >= 4 ? s.substring(0, 4).toUpperCase(Locale.ROOT) : s;
                switch (verb) {
                    case "EHLO" -> reply(ctx, "250-stalling.test\r\n250 PIPELINING");
                    case "DATA" -> {
                        data = true;
                        reply(ctx, "354 go on");
                    }
                    case "QUIT" -> ctx.writeAndFlush(Unpooled.copiedBuffer("221 bye\r\n", StandardCharsets.US_ASCII))
                            .addListener(f -> ctx.close());
                    default -> reply(ctx, "250 ok");
                }
            } finally {
                line.release();
            }
        }

        /** Writes now, or after the stall with every reply held before it. */
        private void reply(ChannelHandlerContext ctx, String text) {
            long wait = stallUntil - System.nanoTime();
            if (wait <= 0 && held.isEmpty()) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII));
                return;
            }
            if (held.isEmpty()) {
                ctx.executor().schedule(() -> drain(ctx), Math.max(0, wait), TimeUnit.NANOSECONDS);
            }
            held.add(text);
        }

        private void drain(ChannelHandlerContext ctx) {
            while (!held.isEmpty()) {
                ctx.write(Unpooled.copiedBuffer(held.poll() + "\r\n", StandardCharsets.US_ASCII));
            }
            ctx.flush();
        }
    }
}
