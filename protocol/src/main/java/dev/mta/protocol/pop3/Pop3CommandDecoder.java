package dev.mta.protocol.pop3;

import dev.mta.protocol.codec.ResponseLine;
import dev.mta.protocol.codec.StrictUtf8;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns the framer's lines into {@link Pop3Command}s; other messages (the framer's errors) pass through. After
 * {@link #responseLineNext()} the next line is a SASL response of RFC 5034 AUTH, handed on as a {@link ResponseLine}.
 * Lines come one at a time, so the session sets this while it handles the line before. Non-ASCII must be UTF-8
 * (a user name or password may hold it).
 */
public final class Pop3CommandDecoder extends MessageToMessageDecoder<ByteBuf> {
    static final Pop3Reply INVALID_UTF8 = Pop3Reply.err("Invalid UTF-8 in command");

    private final StrictUtf8 utf8 = new StrictUtf8();
    private boolean responseLineNext;

    public Pop3CommandDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
        if (responseLineNext) {
            responseLineNext = false;
            out.add(new ResponseLine(line.toString(StandardCharsets.US_ASCII)));
            return;
        }
        try {
            out.add(Pop3CommandParser.parse(utf8.decode(line)));
        } catch (CharacterCodingException e) {
            out.add(Pop3Command.rejected(null, INVALID_UTF8));
        }
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
