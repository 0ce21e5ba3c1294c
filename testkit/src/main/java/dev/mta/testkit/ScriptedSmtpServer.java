package dev.mta.testkit;

import dev.mta.protocol.codec.DataChunk;
import dev.mta.protocol.codec.EndOfData;
import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.command.SmtpCommand;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A next hop for tests whose every answer is chosen by the test: extensions, replies per RCPT, to MAIL, DATA and
 * the final dot, or silence, slowness, a full receive window, or a dropped connection. It records each message it
 * accepted.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
    /** A message this server accepted, and whether it came over TLS. */
    public record Received(String mailFrom, List<String> rcptTo, byte[] body, boolean overTls) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Where in the conversation a stall or drop happens. */
    public enum Stage { NONE, GREETING, MAIL, RCPT, DATA, END_OF_DATA }

    public volatile String greetingName = "next-hop.test";
    /** The whole greeting line when set (e.g. "421 4.3.2 busy"), else 220 with {@link #greetingName}. */
    public volatile String greeting;
    public volatile boolean ehlo = true;
    public volatile List<String> extensions = List.of("PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE 10485760");
    public volatile String mailReply = "250 2.1.0 ok";
    public volatile Function<String, String> rcptReply = r -> "250 2.1.5 ok";
    public volatile String dataReply = "354 go ahead";
    public volatile String finalReply = "250 2.0.0 accepted";
    public volatile Stage stallAt = Stage.NONE;
    public volatile Stage dropAt = Stage.NONE;
    /** Replies at this stage leave {@link #slowBy} after the previous reply (replies stay in order). */
    public volatile Stage slowAt = Stage.NONE;
    public volatile Duration slowBy = Duration.ZERO;
    /**
     * After answering this stage the server reads nothing more, with a small receive buffer, so a client sending
     * content finds the connection full (set before the client connects).
     */
    public volatile Stage deafAt = Stage.NONE;
    /**
     * When set, a connection that already carried a transaction is closed, unanswered, when its next MAIL arrives:
     * a server that gave up on a kept connection just as the client took it again.
     */
    public volatile boolean dropKeptAtMail;
    /**
     * When set, the reply to a MAIL that is not the connection's first (a reply starting 421 also closes the
     * connection after it): a server whose idle timeout races the client's next transaction.
     */
    public volatile String keptMailReply;
    /** When set, STARTTLS is offered and done with this context. */
    public volatile io.netty.handler.ssl.SslContext tls;
    /** When set, STARTTLS is offered but the handshake is broken (plain text after the 220). */
    public volatile boolean brokenTls;
    /**
     * When set, written in the same write as the 220 reply to STARTTLS, before the handshake: a response injection
     * attempt (e.g. "250 forged\r\n"), which a client must throw away unread.
     */
    public volatile String injectAfterStartTls;
    /** SASL mechanisms offered in EHLO once TLS is on (e.g. "PLAIN"; only PLAIN is taken); null offers no AUTH. */
    public volatile String authMechanisms;
    /** Whether {@link #authMechanisms} are offered before STARTTLS too. */
    public volatile boolean authInClear;
    /** The reply to AUTH PLAIN. */
    public volatile String authReply = "235 2.7.0 authenticated";
    /** Each AUTH PLAIN's decoded text ("PLAIN \0user\0password"), with "tls " or "clear " before it. */
    public final List<String> auths = new CopyOnWriteArrayList<>();

    public final List<Received> received = new CopyOnWriteArrayList<>();
    /** Runs right after a final 2xx reply has been written (e.g. to kill the sender at that very moment). */
    public volatile Runnable afterAccept = () -> { };
    public final List<String> commands = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    public ScriptedSmtpServer() throws InterruptedException {
        this(0);
    }

    /** A next hop on a loopback port the test chose (0: any free one), e.g. one that was refusing connections. */
    public ScriptedSmtpServer(int port) throws InterruptedException {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (deafAt != Stage.NONE) {
                            ch.config().setReceiveBufferSize(4096);
                        }
                        SmtpFrameDecoder framer = new SmtpFrameDecoder(4096);
                        ch.pipeline().addLast(framer, new AuthLines(), new SmtpCommandDecoder(), new Session(framer));
                    }
                }).bind("127.0.0.1", port).sync().channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Takes AUTH command lines out of the framed lines, as text, before the command decoder (which knows no AUTH). */
    private static final class AuthLines extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.buffer.ByteBuf b && b.readableBytes() >= 5
                    && b.toString(b.readerIndex(), 5, StandardCharsets.US_ASCII).equalsIgnoreCase("AUTH ")) {
                String line = b.toString(StandardCharsets.UTF_8);
                b.release();
                ctx.fireChannelRead(line);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Session extends ChannelInboundHandlerAdapter {
        private final SmtpFrameDecoder framer;
        private String from;
        private final List<String> rcpts = new ArrayList<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private boolean secured;
        /** MAIL commands seen on this connection. */
        private int mails;
        /** Delayed replies not yet written, and when the last of them leaves. */
        private int delayed;
        private long lastReplyNanos;

        Session(SmtpFrameDecoder framer) {
            this.framer = framer;
        }

        private boolean act(ChannelHandlerContext ctx, Stage stage, String reply) {
            if (stage != Stage.NONE && dropAt == stage) {
                ctx.close();
                return false;
            }
            if (stage != Stage.NONE && stallAt == stage) {
                return false;
            }
            long delay = stage != Stage.NONE && slowAt == stage ? slowBy.toNanos() : 0;
            if (delay > 0 || delayed > 0) {
                // Scheduled after every reply still waiting, so pipelined replies keep their order.
                long now = System.nanoTime();
                lastReplyNanos = Math.max(now, lastReplyNanos) + delay;
                delayed++;
                ctx.executor().schedule(() -> {
                    delayed--;
                    ctx.writeAndFlush(Unpooled.copiedBuffer(reply + "\r\n", StandardCharsets.UTF_8));
                }, lastReplyNanos - now, TimeUnit.NANOSECONDS);
            } else {
                ctx.writeAndFlush(Unpooled.copiedBuffer(reply + "\r\n", StandardCharsets.UTF_8));
            }
            if (stage != Stage.NONE && deafAt == stage) {
                ctx.channel().config().setAutoRead(false);
            }
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.incrementAndGet();
            String g = greeting;
            act(ctx, Stage.GREETING, g != null ? g : "220 " + greetingName + " ESMTP test");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof DataChunk) {
                    byte[] b = new byte[((DataChunk) msg).content().readableBytes()];
                    ((DataChunk) msg).content().readBytes(b);
                    body.writeBytes(b);
                } else if (msg instanceof EndOfData) {
                    // Recorded before the reply leaves, so a client that got 250 always finds it here.
                    Received r = new Received(from, List.copyOf(rcpts), body.toByteArray(), secured);
                    boolean accept = finalReply.startsWith("2") && dropAt != Stage.END_OF_DATA && stallAt != Stage.END_OF_DATA;
                    if (accept) {
                        received.add(r);
                    }
                    if (act(ctx, Stage.END_OF_DATA, finalReply) && accept) {
                        afterAccept.run();
                    }
                    reset();
                } else if (msg instanceof String) {
                    auth(ctx, (String) msg);
                } else if (msg instanceof SmtpCommand) {
                    command(ctx, (SmtpCommand) msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** "AUTH PLAIN base64" (the command decoder knows no AUTH); other mechanisms are refused. */
        private void auth(ChannelHandlerContext ctx, String line) {
            commands.add("AUTH");
            String[] a = line.split(" ", 3);
            if (a.length == 3 && a[1].equalsIgnoreCase("PLAIN")) {
                auths.add((secured ? "tls " : "clear ") + "PLAIN " + decode(a[2]));
                act(ctx, Stage.NONE, authReply);
            } else {
                act(ctx, Stage.NONE, "504 5.5.4 mechanism not supported");
            }
        }

        private String decode(String b64) {
            try {
                return new String(java.util.Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "(not base64: " + b64 + ")";
            }
        }

        private void reset() {
            from = null;
            rcpts.clear();
            body.reset();
        }

        private void command(ChannelHandlerContext ctx, SmtpCommand c) {
            commands.add(c.verb() + (c.path() != null ? " " + c.path() : ""));
            if (c.verb() == dev.mta.protocol.command.SmtpVerb.STARTTLS && (tls != null || brokenTls) && !secured) {
                String inject = injectAfterStartTls;
                ctx.writeAndFlush(Unpooled.copiedBuffer("220 2.0.0 ready to start TLS\r\n" + (inject == null ? "" : inject),
                        StandardCharsets.US_ASCII));
                if (brokenTls) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer("this is not a TLS record\r\n", StandardCharsets.US_ASCII))
                            .addListener(f -> ctx.close());
                    return;
                }
                ctx.pipeline().addFirst("tls", tls.newHandler(ctx.alloc()));
                secured = true;
                reset();
                return;
            }
            if (c.isRejected()) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(c.rejection().wireBytes()));
                return;
            }
            switch (c.verb()) {
                case EHLO:
                    if (!ehlo) {
                        act(ctx, Stage.NONE, "502 5.5.1 EHLO not known here");
                        return;
                    }
                    StringBuilder sb = new StringBuilder();
                    List<String> ext = new ArrayList<>(extensions);
                    if ((tls != null || brokenTls) && !secured) {
                        ext.add("STARTTLS");
                    }
                    if (authMechanisms != null && (secured || authInClear)) {
                        ext.add("AUTH " + authMechanisms);
                    }
                    sb.append(ext.isEmpty() ? "250 " : "250-").append(greetingName);
                    for (int i = 0; i < ext.size(); i++) {
                        sb.append("\r\n250").append(i == ext.size() - 1 ? ' ' : '-').append(ext.get(i));
                    }
                    act(ctx, Stage.NONE, sb.toString());
                    return;
                case HELO:
                    act(ctx, Stage.NONE, "250 " + greetingName);
                    return;
                case MAIL:
                    if (++mails > 1 && dropKeptAtMail) {
                        ctx.close();
                        return;
                    }
                    String kept = keptMailReply;
                    if (mails > 1 && kept != null) {
                        ctx.writeAndFlush(Unpooled.copiedBuffer(kept + "\r\n", StandardCharsets.US_ASCII))
                                .addListener(f -> {
                                    if (kept.startsWith("421")) {
                                        ctx.close();
                                    }
                                });
                        return;
                    }
                    from = mailReply.startsWith("2") ? c.path().address() : null;
                    act(ctx, Stage.MAIL, mailReply);
                    return;
                case RCPT: {
                    if (from == null) {
                        act(ctx, Stage.NONE, "503 5.5.1 need MAIL");
                        return;
                    }
                    String reply = rcptReply.apply(c.path().address());
                    if (reply.startsWith("2")) {
                        rcpts.add(c.path().address());
                    }
                    act(ctx, Stage.RCPT, reply);
                    return;
                }
                case DATA:
                    if (rcpts.isEmpty()) {
                        act(ctx, Stage.NONE, "554 5.5.1 no valid recipients");
                        return;
                    }
                    if (act(ctx, Stage.DATA, dataReply) && dataReply.startsWith("354")) {
                        framer.startData();
                    }
                    return;
                case RSET:
                    reset();
                    act(ctx, Stage.NONE, "250 2.0.0 reset");
                    return;
                case QUIT:
                    ctx.writeAndFlush(Unpooled.copiedBuffer("221 2.0.0 bye\r\n", StandardCharsets.US_ASCII))
                            .addListener(f -> ctx.close());
                    return;
                default:
                    act(ctx, Stage.NONE, "250 2.0.0 ok");
            }
        }
    }
}
