package dev.mta.protocol.pop3;

import dev.mta.protocol.codec.ResponseLine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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

    private CharsetDecoder utf8;
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
        if (line.forEachByte(b -> b >= 0) < 0) {
            out.add(Pop3CommandParser.parse(line.toString(StandardCharsets.US_ASCII)));
            return;
        }
        try {
            out.add(Pop3CommandParser.parse(strictUtf8().decode(line.nioBuffer()).toString()));
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

    private CharsetDecoder strictUtf8() {
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        return utf8.reset();
    }
}
