package dev.mta.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One of the run's concurrent sessions: a state machine on one event loop that takes messages from the
 * {@link Dispatcher}, opens connections as it needs them (EHLO, STARTTLS, AUTH PLAIN), sends each message (MAIL,
 * RCPT, DATA pipelined when asked for and offered) and times its phases. Nothing in it blocks.
 */
final class LoadSession {
    /** Wait after a connection that could not be set up, so a dead target is not hammered in a loop. */
    private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private enum State { IDLE, GREETING, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, PIPELINED, CONTENT, RSET }

    private final LoadSettings settings;
    private final Dispatcher dispatcher;
    private final LoadStats stats;
    private final MessageContent content;
    private final SslContext tls;
    private final EventLoop loop;
    private final Runnable onFinished;
    private final SplittableRandom random;
    private final Bootstrap bootstrap;

    private Channel channel;
    private State state = State.IDLE;
    private boolean secured;
    private boolean authenticated;
    private boolean pipeliningOffered;
    private int messagesOnConnection;
    private long connectedAt;

    private Ticket ticket;
    private long mailSentAt;
    private long dotSentAt;
    private int repliesSeen;
    private int rcptAccepted;
    private String firstFailure;
    /** The first failure is a refused RCPT whose reply is counted among the errors already. */
    private boolean firstFailureCounted;
    private boolean finished;

    LoadSession(LoadSettings settings, Dispatcher dispatcher, LoadStats stats, MessageContent content, SslContext tls,
                EventLoop loop, long seed, Runnable onFinished) {
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.content = content;
        this.tls = tls;
        this.loop = loop;
        this.onFinished = onFinished;
        this.random = new SplittableRandom(seed);
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SmtpResponseDecoder(8192),
                                new IdleStateHandler(settings.timeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS),
                                new SessionHandler(LoadSession.this));
                    }
                });
    }

    /** Starts the session; from here on everything runs on its event loop. */
    void start() {
        loop.execute(this::next);
    }

    /** Takes the next message when one is due, waits for it, or ends the session. */
    private void next() {
        if (finished) {
            return;
        }
        if (channel != null && settings.perConnection() > 0 && messagesOnConnection >= settings.perConnection()) {
            quit();
        }
        long now = System.nanoTime();
        Ticket t = dispatcher.poll(now);
        if (t == null) {
            if (dispatcher.finished(now)) {
                finish();
            } else {
                loop.schedule(this::next, Math.max(0, dispatcher.nextDueNanos() - now), TimeUnit.NANOSECONDS);
            }
            return;
        }
        ticket = t;
        stats.sent();
        if (channel == null) {
            connect();
        } else {
            sendEnvelope();
        }
    }

    private void connect() {
        secured = false;
        authenticated = false;
        messagesOnConnection = 0;
        long start = System.nanoTime();
        ChannelFuture f = bootstrap.connect(settings.target());
        channel = f.channel();
        state = State.GREETING;
        f.addListener((ChannelFutureListener) done -> {
            if (done.channel() != channel) {
                return;
            }
            if (done.isSuccess()) {
                connectedAt = System.nanoTime();
                stats.connected();
                stats.record(Phase.CONNECT, connectedAt - start);
            } else {
                channel = null;
                state = State.IDLE;
                failMessage("connect: " + reason(done.cause()));
                loop.schedule(this::next, BACKOFF_NANOS, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** A reply on {@code ch}; replies on a connection being closed (the 221 to QUIT) close it. */
    void reply(Channel ch, SmtpResponse r) {
        if (ch != channel) {
            ch.close();
            return;
        }
        int code = r.code();
        switch (state) {
            case GREETING -> {
                stats.record(Phase.GREETING, System.nanoTime() - connectedAt);
                if (code != 220) {
                    failConnection("greeting " + code);
                } else {
                    ehlo();
                }
            }
            case EHLO -> afterEhlo(r);
            case STARTTLS -> {
                if (code != 220) {
                    failConnection("STARTTLS " + code);
                    return;
                }
                SslHandler ssl = tls.newHandler(ch.alloc(), settings.target().getHostString(), settings.target().getPort());
                ch.pipeline().addFirst("tls", ssl);
                ssl.handshakeFuture().addListener(hs -> {
                    if (ch != channel) {
                        return;
                    }
                    if (hs.isSuccess()) {
                        secured = true;
                        ehlo();
                    } else {
                        failConnection("TLS: " + reason(hs.cause()));
                    }
                });
            }
            case AUTH -> {
                if (code != 235) {
                    failConnection("AUTH " + code);
                } else {
                    authenticated = true;
                    sendEnvelope();
                }
            }
            case MAIL -> {
                if (code / 100 != 2) {
                    failMessage("MAIL " + code);
                    rset();
                } else {
                    rcpt(0);
                }
            }
            case RCPT -> {
                rcptReply(code);
                if (repliesSeen < settings.recipients()) {
                    rcpt(repliesSeen);
                } else if (rcptAccepted == 0) {
                    failMessage(firstFailure);
                    rset();
                } else {
                    state = State.DATA;
                    write("DATA\r\n");
                }
            }
            case DATA -> {
                if (code != 354) {
                    failMessage("DATA " + code);
                    rset();
                } else {
                    sendContent(true);
                }
            }
            case PIPELINED -> pipelinedReply(code);
            case CONTENT -> {
                long now = System.nanoTime();
                if (code / 100 == 2 && firstFailure == null) {
                    stats.record(Phase.DATA, now - dotSentAt);
                    stats.record(Phase.TOTAL, now - ticket.dueNanos());
                    stats.accepted();
                } else if (firstFailure == null) {
                    stats.failed("end-of-data " + code);
                } else {
                    fail(firstFailure);
                }
                messageDone();
            }
            case RSET -> messageDone();
            case IDLE -> { }
        }
    }

    private void ehlo() {
        state = State.EHLO;
        write("EHLO " + settings.ehloName() + "\r\n");
    }

    private void afterEhlo(SmtpResponse r) {
        if (r.code() != 250) {
            failConnection("EHLO " + r.code());
            return;
        }
        boolean startTlsOffered = false;
        boolean authPlain = false;
        pipeliningOffered = false;
        for (CharSequence line : r.details()) {
            String ext = line.toString().toUpperCase(Locale.ROOT);
            if (ext.equals("PIPELINING")) {
                pipeliningOffered = true;
            } else if (ext.equals("STARTTLS")) {
                startTlsOffered = true;
            } else if (ext.startsWith("AUTH ") && (" " + ext + " ").contains(" PLAIN ")) {
                authPlain = true;
            }
        }
        if (settings.startTls() && !secured) {
            if (!startTlsOffered) {
                failConnection("STARTTLS not offered");
                return;
            }
            state = State.STARTTLS;
            write("STARTTLS\r\n");
        } else if (settings.auth() != null && !authenticated) {
            if (!authPlain) {
                failConnection("AUTH PLAIN not offered");
                return;
            }
            state = State.AUTH;
            write("AUTH PLAIN " + plain(settings.auth()) + "\r\n");
        } else {
            sendEnvelope();
        }
    }

    static String plain(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        String message = "\0" + userColonPassword.substring(0, colon) + "\0" + userColonPassword.substring(colon + 1);
        return Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
    }

    private void sendEnvelope() {
        repliesSeen = 0;
        rcptAccepted = 0;
        firstFailure = null;
        firstFailureCounted = false;
        mailSentAt = System.nanoTime();
        String mail = "MAIL FROM:<" + settings.from() + ">\r\n";
        if (settings.pipelining() && pipeliningOffered) {
            StringBuilder b = new StringBuilder(mail);
            for (int i = 0; i < settings.recipients(); i++) {
                b.append("RCPT TO:<").append(settings.recipient(i)).append(">\r\n");
            }
            b.append("DATA\r\n");
            state = State.PIPELINED;
            write(b.toString());
        } else {
            state = State.MAIL;
            write(mail);
        }
    }

    private void rcpt(int i) {
        state = State.RCPT;
        write("RCPT TO:<" + settings.recipient(i) + ">\r\n");
    }

    private void rcptReply(int code) {
        repliesSeen++;
        if (code / 100 == 2) {
            rcptAccepted++;
        } else {
            stats.error("RCPT " + code);
            if (firstFailure == null) {
                firstFailure = "RCPT " + code;
                firstFailureCounted = true;
            }
        }
    }

    /** Replies to MAIL, each RCPT and DATA sent in one go (RFC 2920), in order. */
    private void pipelinedReply(int code) {
        int index = repliesSeen;
        if (index == 0) {
            repliesSeen++;
            if (code / 100 != 2) {
                firstFailure = "MAIL " + code;
            }
        } else if (index <= settings.recipients()) {
            if (firstFailure != null && firstFailure.startsWith("MAIL")) {
                repliesSeen++;
            } else {
                rcptReply(code);
            }
        } else {
            if (code == 354) {
                // With no valid recipient a server should not say 354; if it does, the message ends empty.
                sendContent(firstFailure == null || rcptAccepted > 0);
                if (rcptAccepted > 0) {
                    firstFailure = null;
        firstFailureCounted = false;
                }
            } else {
                failMessage(firstFailure != null && rcptAccepted == 0 ? firstFailure : "DATA " + code);
                rset();
            }
        }
    }

    private void sendContent(boolean whole) {
        stats.record(Phase.ENVELOPE, System.nanoTime() - mailSentAt);
        state = State.CONTENT;
        if (!whole) {
            write(".\r\n");
            return;
        }
        int size = settings.sizes().pick(random);
        channel.write(content.headers(channel.alloc(), ticket.seq(), settings.recipient(0)), channel.voidPromise());
        channel.writeAndFlush(content.body(size)).addListener(f -> dotSentAt = System.nanoTime());
        dotSentAt = System.nanoTime();
    }

    private void rset() {
        state = State.RSET;
        write("RSET\r\n");
    }

    private void messageDone() {
        ticket = null;
        messagesOnConnection++;
        state = State.IDLE;
        next();
    }

    private void failMessage(String reason) {
        if (ticket != null) {
            fail(reason);
            ticket = null;
        }
    }

    /** Counts the message failed, and its reason among the errors unless that reply was counted when it came. */
    private void fail(String reason) {
        if (firstFailureCounted && reason.equals(firstFailure)) {
            stats.failedWithoutError();
        } else {
            stats.failed(reason);
        }
    }

    /** The connection cannot carry messages: the message fails, the connection closes, the next one comes later. */
    private void failConnection(String reason) {
        failMessage(reason);
        Channel c = channel;
        channel = null;
        state = State.IDLE;
        if (c != null) {
            c.close();
        }
        loop.schedule(this::next, BACKOFF_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Sends QUIT on the current connection and lets it go: the 221 (or the server's close) ends it. */
    private void quit() {
        Channel c = channel;
        channel = null;
        state = State.IDLE;
        if (c != null && c.isActive()) {
            ByteBuf b = c.alloc().buffer(6);
            b.writeCharSequence("QUIT\r\n", StandardCharsets.US_ASCII);
            c.writeAndFlush(b);
            c.eventLoop().schedule(() -> c.close(), 5, TimeUnit.SECONDS);
        } else if (c != null) {
            c.close();
        }
    }

    private void finish() {
        finished = true;
        Channel c = channel;
        quit();
        if (c != null) {
            c.closeFuture().addListener(f -> onFinished.run());
        } else {
            onFinished.run();
        }
    }

    void closed(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        State was = state;
        state = State.IDLE;
        if (ticket != null) {
            failMessage("closed in " + was.name());
            loop.schedule(this::next, was == State.GREETING ? BACKOFF_NANOS : 0, TimeUnit.NANOSECONDS);
        }
    }

    void idle(Channel ch) {
        if (ch == channel && state != State.IDLE) {
            failConnection("timeout in " + state.name());
        }
    }

    void broken(Channel ch, Throwable cause) {
        if (ch == channel) {
            stats.error("io: " + reason(cause));
        }
        ch.close();
    }

    private void write(String line) {
        ByteBuf b = channel.alloc().buffer(line.length());
        b.writeCharSequence(line, StandardCharsets.US_ASCII);
        channel.writeAndFlush(b, channel.voidPromise());
    }

    private static String reason(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.replaceAll("(: )?/?\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+", "");
    }
}
