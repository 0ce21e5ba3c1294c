package dev.mta.protocol.codec;

import dev.mta.protocol.command.CommandParser;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns command lines from {@link SmtpFrameDecoder} into {@link SmtpCommand}s; other messages pass through. After
 * {@link #responseLineNext()} the next line is not a command but a SASL response: it comes as a {@link ResponseLine}.
 * Lines are decoded and handed on one at a time, so the session sets this while it handles the line before.
 */
public final class SmtpCommandDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final StrictUtf8 utf8 = new StrictUtf8();
    private boolean responseLineNext;

    public SmtpCommandDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
        if (responseLineNext) {
            responseLineNext = false;
            out.add(new ResponseLine(line.toString(StandardCharsets.US_ASCII)));
            return;
        }
        String text;
        try {
            // Only SMTPUTF8 (RFC 6531) puts non-ASCII in commands, and then it must be well-formed UTF-8.
            text = utf8.decode(line);
        } catch (CharacterCodingException e) {
            out.add(SmtpCommand.rejected(SmtpVerb.UNKNOWN, Replies.INVALID_UTF8));
            return;
        }
        out.add(CommandParser.parse(text));
    }

    /** The next line is a SASL response, not a command (event loop only). */
    public void responseLineNext() {
        responseLineNext = true;
    }

    /** The next line is a command after all: the exchange that asked for a response ended without one. */
    public void commandNext() {
        responseLineNext = false;
    }
}
