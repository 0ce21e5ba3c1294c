package dev.mta.bench.sink;

import dev.mta.protocol.trace.HeaderValueScanner;
import dev.mta.protocol.codec.BareNewline;
import dev.mta.protocol.codec.DataChunk;
import dev.mta.protocol.codec.EndOfData;
import dev.mta.protocol.codec.FramingError;
import dev.mta.protocol.codec.ResponseLine;
import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One connection to the sink, all on its event loop: accepts every transaction (save the share its {@link FaultDice}
 * refuses), scans content only for the X-Bench-Id, keeps nothing of it. A delayed reply is scheduled on the event
 * loop, with the framer paused and the socket unread meanwhile, so pipelined commands wait in order behind it.
 */
final class SinkSession extends ChannelInboundHandlerAdapter {
    private enum State { CONNECTED, GREETED, MAIL, DATA, TLS_HANDSHAKE }

    private final SinkShared sink;
    private final SmtpFrameDecoder framer;
    private final SmtpCommandDecoder commands;
    private final FaultDice dice;
    private final boolean drop;
    private ChannelHandlerContext ctx;
    private State state = State.CONNECTED;
    private boolean tlsActive;
    private int acceptedRecipients;
    /** Characters of an X-Bench-Id kept, at most (the load's are far shorter). */
    private static final int MAX_ID = 200;
    private HeaderValueScanner scanner;
    /** AUTH response lines still expected. */
    private int authResponses;

    SinkSession(SinkShared sink, SmtpFrameDecoder framer, SmtpCommandDecoder commands) {
        this.sink = sink;
        this.framer = framer;
        this.commands = commands;
        this.dice = sink.newDice();
        this.drop = dice.dropConnection();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        sink.counters.connections.increment();
        sink.counters.open.increment();
        reply(SinkReplies.GREETING, sink.settings.delayGreetingMs());
        ctx.flush();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sink.counters.open.decrement();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DataChunk chunk) {
                sink.counters.bytes.add(chunk.content().readableBytes());
                scanner.scan(chunk.content());
            } else if (msg instanceof SmtpCommand command) {
                onCommand(command);
            } else if (msg instanceof EndOfData end) {
                onEndOfData(end);
            } else if (msg instanceof ResponseLine) {
                onAuthResponse();
            } else if (msg == FramingError.LINE_TOO_LONG) {
                reply(Replies.LINE_TOO_LONG);
            } else if (msg == FramingError.BARE_LF) {
                reply(Replies.BARE_LF_IN_COMMAND);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            tlsActive = true;
            state = State.CONNECTED; // RFC 3207 4.2: start over, the client greets again
            framer.resume();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void onCommand(SmtpCommand command) {
        if (command.isRejected()) {
            if (command.verb() == SmtpVerb.HTTP_METHOD) {
                ctx.writeAndFlush(command.rejection()).addListener(ChannelFutureListener.CLOSE);
            } else {
                reply(command.rejection());
            }
            return;
        }
        switch (command.verb()) {
            case HELO -> greeted(SinkReplies.HELO);
            case EHLO -> greeted(tlsActive || sink.tls == null ? sink.ehloAfterTls : sink.ehlo);
            case MAIL -> mail(command);
            case RCPT -> rcpt();
            case DATA -> data();
            case RSET -> {
                if (state != State.CONNECTED) {
                    state = State.GREETED;
                }
                reply(Replies.RESET_OK);
            }
            case NOOP -> reply(Replies.NOOP_OK);
            case VRFY -> reply(Replies.CANNOT_VRFY);
            case QUIT -> ctx.writeAndFlush(Replies.BYE).addListener(ChannelFutureListener.CLOSE);
            case STARTTLS -> starttls();
            case AUTH -> auth(command.argument());
            default -> reply(Replies.NOT_IMPLEMENTED);
        }
    }

    private void greeted(SmtpReply reply) {
        state = State.GREETED;
        reply(reply);
    }

    private void mail(SmtpCommand command) {
        if (state == State.CONNECTED) {
            reply(Replies.SEND_HELO_FIRST);
        } else if (state == State.MAIL) {
            reply(Replies.NESTED_MAIL);
        } else if (command.mailParameters().declaredSize() > sink.settings.maxSize()) {
            reply(SinkReplies.TOO_BIG);
        } else {
            state = State.MAIL;
            acceptedRecipients = 0;
            reply(Replies.SENDER_OK);
        }
    }

    private void rcpt() {
        if (state != State.MAIL) {
            reply(state == State.CONNECTED ? Replies.SEND_HELO_FIRST : Replies.NEED_MAIL);
            return;
        }
        long delay = sink.settings.delayRcptMs();
        switch (dice.rcpt()) {
            case TEMP_FAIL -> {
                sink.counters.rcptTempFailed.increment();
                reply(SinkReplies.RCPT_TEMP, delay);
            }
            case PERM_FAIL -> {
                sink.counters.rcptPermFailed.increment();
                reply(SinkReplies.RCPT_PERM, delay);
            }
            default -> {
                acceptedRecipients++;
                reply(Replies.RECIPIENT_OK, delay);
            }
        }
    }

    private void data() {
        if (state != State.MAIL) {
            reply(state == State.CONNECTED ? Replies.SEND_HELO_FIRST : Replies.NEED_MAIL);
        } else if (drop) {
            sink.counters.dropped.increment();
            ctx.close(); // mid-transaction, unanswered: the client cannot know more than that it failed
        } else if (acceptedRecipients == 0) {
            state = State.GREETED;
            reply(SinkReplies.NO_VALID_RECIPIENTS);
        } else {
            state = State.DATA;
            scanner = new HeaderValueScanner("X-Bench-Id", MAX_ID);
            framer.startData(BareNewline.REJECT);
            reply(Replies.START_DATA);
        }
    }

    private void onEndOfData(EndOfData end) {
        state = State.GREETED;
        String id = scanner.value();
        scanner = null;
        if (end.hasBareLineEnding()) {
            reply(Replies.BARE_LINE_ENDING_IN_DATA);
            return;
        }
        long delay = sink.settings.delayDataMs();
        switch (dice.data()) {
            case TEMP_FAIL -> {
                sink.counters.dataTempFailed.increment();
                reply(SinkReplies.DATA_TEMP, delay);
            }
            case PERM_FAIL -> {
                sink.counters.dataPermFailed.increment();
                reply(SinkReplies.DATA_PERM, delay);
            }
            default -> {
                if (id == null) {
                    sink.counters.withoutId.increment();
                } else {
                    sink.ids.record(id);
                }
                sink.counters.recipients.add(acceptedRecipients);
                sink.stall.messageAccepted(sink.counters.messages.incrementAndGet());
                reply(SinkReplies.QUEUED, delay);
            }
        }
    }

    private void starttls() {
        if (sink.tls == null) {
            reply(Replies.NOT_IMPLEMENTED);
        } else if (tlsActive) {
            reply(SinkReplies.TLS_ALREADY);
        } else if (state == State.MAIL) {
            reply(Replies.NESTED_MAIL);
        } else {
            // The CVE-2011-0411 rule: plaintext pipelined behind STARTTLS is thrown away, never decoded.
            framer.pause();
            framer.discardBuffered();
            state = State.TLS_HANDSHAKE;
            ctx.writeAndFlush(SinkReplies.READY_FOR_TLS);
            ctx.pipeline().addFirst("tls", sink.tls.newHandler(ctx.alloc()));
        }
    }

    private void auth(String argument) {
        if (state != State.GREETED) {
            reply(state == State.CONNECTED ? Replies.SEND_HELO_FIRST : Replies.NESTED_MAIL);
            return;
        }
        String[] words = argument.split(" ", 2);
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        if (mechanism.equals("PLAIN") && words.length == 2) {
            reply(SinkReplies.AUTH_OK); // every password is right here
        } else if (mechanism.equals("PLAIN")) {
            authResponses = 1;
            commands.responseLineNext();
            reply(SinkReplies.AUTH_PLAIN_NEXT);
        } else if (mechanism.equals("LOGIN")) {
            authResponses = words.length == 2 ? 1 : 2;
            commands.responseLineNext();
            reply(authResponses == 2 ? SinkReplies.AUTH_USERNAME : SinkReplies.AUTH_PASSWORD);
        } else {
            reply(SinkReplies.AUTH_UNKNOWN);
        }
    }

    private void onAuthResponse() {
        if (--authResponses > 0) {
            commands.responseLineNext();
            reply(SinkReplies.AUTH_PASSWORD);
        } else {
            reply(SinkReplies.AUTH_OK);
        }
    }

    private void reply(SmtpReply reply) {
        reply(reply, 0);
    }

    /**
     * Writes {@code reply} now, or after {@code delayMs} (or the stall, if longer): then the framer is paused and
     * the socket not read until it has left, so later replies cannot overtake it.
     */
    private void reply(SmtpReply reply, long delayMs) {
        long wait = Math.max(TimeUnit.MILLISECONDS.toNanos(delayMs), sink.stall.remainingNanos());
        if (wait <= 0) {
            ctx.write(reply);
            return;
        }
        framer.pause();
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> sendDelayed(reply), wait, TimeUnit.NANOSECONDS);
    }

    private void sendDelayed(SmtpReply reply) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.writeAndFlush(reply);
        if (state != State.TLS_HANDSHAKE) {
            ctx.channel().config().setAutoRead(true);
            framer.resume();
        }
    }
}
