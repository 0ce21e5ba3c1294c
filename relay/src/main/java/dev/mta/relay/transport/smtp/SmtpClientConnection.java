package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.RemoteMta;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An open, greeted connection to a next hop. Methods that write must run on the channel's event loop; callers
 * chain on the returned futures and hop back with {@link #eventLoop()}.
 */
public final class SmtpClientConnection implements ConnectionPool.Pooled {
    /** The longest reply line taken from a next hop. */
    static final int MAX_REPLY_LINE = 8192;
    /** The pipeline name of the reply decoder, which STARTTLS replaces with a fresh one. */
    static final String DECODER = "smtp-reply-decoder";

    private final Channel channel;
    private final SmtpClientHandler handler;
    private final RemoteMta peer;
    private final ClientTimeouts timeouts;
    private PeerCapabilities capabilities;
    private HopSecurity security = HopSecurity.MAY;
    private boolean authenticated;
    /** Between transactions (no MAIL open at the next hop): a kept connection needs no RSET before the next. */
    private volatile boolean clean = true;
    /** Taken from the pool at least once: it sat idle, and may have gone away meanwhile. */
    private volatile boolean reused;

    SmtpClientConnection(Channel channel, SmtpClientHandler handler, RemoteMta peer, ClientTimeouts timeouts) {
        this.channel = channel;
        this.handler = handler;
        this.peer = peer;
        this.timeouts = timeouts;
    }

    /** "host[address]:port", for logs and error texts. */
    public String peer() {
        return peer.toString();
    }

    /** The next hop this connection reached. */
    public RemoteMta remoteMta() {
        return peer;
    }

    public PeerCapabilities capabilities() {
        return capabilities;
    }

    void capabilities(PeerCapabilities c) {
        this.capabilities = c;
    }

    /** The security this connection was opened with (a pooled one is only reused for the same). */
    public HopSecurity security() {
        return security;
    }

    void security(HopSecurity s) {
        this.security = s;
    }

    /** Whether the next hop holds no transaction (the last one ended with its final reply, or none began). */
    boolean clean() {
        return clean;
    }

    void clean(boolean c) {
        this.clean = c;
    }

    /** Whether this connection was kept in the pool and taken again. */
    boolean reused() {
        return reused;
    }

    void markReused() {
        this.reused = true;
    }

    /** Whether AUTH succeeded on this connection. */
    public boolean authenticated() {
        return authenticated;
    }

    void authenticated(boolean a) {
        this.authenticated = a;
    }

    /**
     * Says STARTTLS. On a 220 reply, in the very read that brought it, TLS is put first in the pipeline and the reply
     * decoder is replaced by a fresh one: whatever the server sent after its 220 and before the handshake (already
     * read, buffered in the decoder, or half a reply line) is thrown away unread, and every later byte must come
     * through TLS. Event loop only.
     */
    CompletableFuture<SmtpResponse> startTls(java.util.function.Supplier<io.netty.handler.ssl.SslHandler> tls, Duration timeout) {
        CompletableFuture<SmtpResponse> reply = handler.expectStartTls(timeout, r -> {
            if (r.code() != 220) {
                return;
            }
            io.netty.channel.ChannelPipeline p = channel.pipeline();
            // TLS first, so every later read must come through it. Then the decoder goes, with what it holds: its
            // leftover bytes, handed on as it is removed, reach the handler, which releases them unread; half a
            // multi-line reply in its state is forgotten. (Not pipeline.replace: that hands the leftovers to the
            // new decoder.)
            p.addFirst("tls", tls.get());
            p.remove(DECODER);
            p.addAfter("tls", DECODER, new io.netty.handler.codec.smtp.SmtpResponseDecoder(MAX_REPLY_LINE));
        });
        channel.writeAndFlush(new io.netty.handler.codec.smtp.DefaultSmtpRequest(
                io.netty.handler.codec.smtp.SmtpCommand.valueOf("STARTTLS")), channel.voidPromise());
        return reply;
    }

    /** Writes a command line (flushed) whose text is not shown anywhere, as an AUTH line with credentials. */
    CompletableFuture<SmtpResponse> secretLine(String line, Duration timeout) {
        CompletableFuture<SmtpResponse> reply = handler.expect(timeout, "AUTH");
        channel.writeAndFlush(Unpooled.wrappedBuffer((line + "\r\n").getBytes(StandardCharsets.UTF_8)), channel.voidPromise());
        return reply;
    }

    public ClientTimeouts timeouts() {
        return timeouts;
    }

    Channel channel() {
        return channel;
    }

    public io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    /** Writes a command (not flushed) and returns its reply. */
    public CompletableFuture<SmtpResponse> write(SmtpRequest request, Duration timeout) {
        CompletableFuture<SmtpResponse> reply = handler.expect(timeout, request.command().name().toString());
        channel.write(request, channel.voidPromise());
        return reply;
    }

    /** Writes a command line given as text, UTF-8 encoded (for SMTPUTF8 addresses), not flushed. */
    public CompletableFuture<SmtpResponse> writeLine(String line, Duration timeout) {
        CompletableFuture<SmtpResponse> reply = handler.expect(timeout, line.split(" ", 2)[0]);
        channel.write(Unpooled.wrappedBuffer((line + "\r\n").getBytes(StandardCharsets.UTF_8)), channel.voidPromise());
        return reply;
    }

    /** Sends one command and returns its reply. */
    public CompletableFuture<SmtpResponse> command(SmtpRequest request, Duration timeout) {
        CompletableFuture<SmtpResponse> reply = write(request, timeout);
        channel.flush();
        return reply;
    }

    public void flush() {
        channel.flush();
    }

    /** Writes a piece of (already dot-stuffed) message content and flushes it. */
    public void writeContent(ByteBuf stuffed) {
        channel.writeAndFlush(new DefaultSmtpContent(stuffed), channel.voidPromise());
    }

    /** Writes (already dot-stuffed) message content without flushing it: what follows flushes both. */
    void writeContentUnflushed(ByteBuf stuffed) {
        channel.write(new DefaultSmtpContent(stuffed), channel.voidPromise());
    }

    /**
     * Ends the content with CRLF "." CRLF and returns the final reply. The final reply timeout starts once the dot
     * has left; until then the peer is still taking content, which the data block timeout bounds.
     */
    public CompletableFuture<SmtpResponse> endContent() {
        ChannelPromise sent = channel.newPromise();
        CompletableFuture<SmtpResponse> reply = handler.expect(timeouts.dataDone(), "end of data", sent);
        handler.whenWritten(sent, timeouts.dataBlock());
        channel.writeAndFlush(new DefaultLastSmtpContent(Unpooled.EMPTY_BUFFER), sent);
        return reply;
    }

    /**
     * Completes when the socket can take more content; fails when the peer takes none of it within the data block
     * timeout (the connection is then closed) or the connection closes. Event loop only.
     */
    public CompletableFuture<Void> whenWritable() {
        return handler.whenWritable(timeouts.dataBlock());
    }

    /** Says QUIT (without waiting long for 221) and closes. */
    @Override
    public void quit() {
        if (channel.isActive()) {
            channel.eventLoop().execute(() -> {
                handler.expect(Duration.ofSeconds(5), "QUIT");
                channel.writeAndFlush(SmtpRequests.quit()).addListener(f -> channel.close());
            });
        }
    }

    /** Closes at once. */
    public void close() {
        channel.close();
    }
}
