package dev.mta.protocol.pop3;

import dev.mta.protocol.codec.FramingError;
import dev.mta.protocol.codec.ResponseLine;
import dev.mta.protocol.codec.SmtpFrameDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The framer with POP3's line limit in front of the command decoder, as the server's pipeline has them. */
class Pop3CommandDecoderTest {
    private final Pop3CommandDecoder decoder = new Pop3CommandDecoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new SmtpFrameDecoder(Pop3CommandParser.MAX_LINE_LENGTH), decoder);

    @AfterEach
    void finish() {
        assertFalse(channel.finish(), "nothing left over");
    }

    private void send(String s) {
        channel.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    private Object next() {
        return channel.readInbound();
    }

    @Test
    void linesBecomeCommandsInOrder() {
        send("USER alice\r\nPASS se");
        send("cret\r\nSTAT\r\n");
        assertEquals(Pop3Verb.USER, ((Pop3Command) next()).verb());
        assertEquals("secret", ((Pop3Command) next()).argument(0));
        assertEquals(Pop3Verb.STAT, ((Pop3Command) next()).verb());
        assertNull(next());
    }

    @Test
    void aLineOf255OctetsWithItsCrlfIsTheLongest() {
        send("USER " + "a".repeat(248) + "\r\n"); // 255 with the CRLF: framed, and a user name may be that long
        Pop3Command c = (Pop3Command) next();
        assertEquals(Pop3Verb.USER, c.verb());
        assertEquals("a".repeat(248), c.argument(0));
        send("USER " + "a".repeat(249) + "\r\nNOOP\r\n");
        assertEquals(FramingError.LINE_TOO_LONG, next());
        assertEquals(Pop3Verb.NOOP, ((Pop3Command) next()).verb(), "the next line is read as ever");
    }

    @Test
    void aBareLfEndsNoCommand() {
        send("STAT\nLIST\r\n");
        assertEquals(FramingError.BARE_LF, next());
        assertEquals(Pop3Verb.LIST, ((Pop3Command) next()).verb());
    }

    @Test
    void aSaslResponseIsNoCommand() {
        decoder.responseLineNext();
        send("AGFsaWNlAHNlY3JldA==\r\nQUIT\r\n");
        assertEquals("AGFsaWNlAHNlY3JldA==", assertInstanceOf(ResponseLine.class, next()).text());
        assertEquals(Pop3Verb.QUIT, ((Pop3Command) next()).verb());
    }

    @Test
    void nonAsciiMustBeUtf8() {
        send("USER j\u00fcrgen\r\n");
        assertEquals("j\u00fcrgen", ((Pop3Command) next()).argument(0));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{'U', 'S', 'E', 'R', ' ', (byte) 0xC3, '\r', '\n'}));
        Pop3Command bad = (Pop3Command) next();
        assertTrue(bad.isRejected());
        assertEquals(Pop3CommandDecoder.INVALID_UTF8, bad.rejection());
    }
}
