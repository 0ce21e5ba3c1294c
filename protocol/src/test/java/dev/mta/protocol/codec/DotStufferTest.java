package dev.mta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DotStufferTest {
    private static String stuffInPieces(String content, int piece) {
        DotStuffer s = new DotStuffer();
        StringBuilder out = new StringBuilder();
        byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        for (int off = 0; off < bytes.length; off += piece) {
            ByteBuf in = Unpooled.wrappedBuffer(bytes, off, Math.min(piece, bytes.length - off));
            ByteBuf stuffed = s.stuff(in, ByteBufAllocator.DEFAULT);
            out.append(stuffed.toString(StandardCharsets.ISO_8859_1));
            stuffed.release();
            in.release();
        }
        return out.toString();
    }

    @Test
    void doublesLeadingDotsOnly() {
        String in = ".first\r\nplain. dots.\r\n..two\r\n.\r\nend\r\n";
        String expected = "..first\r\nplain. dots.\r\n...two\r\n..\r\nend\r\n";
        for (int piece = 1; piece <= in.length(); piece++) {
            assertEquals(expected, stuffInPieces(in, piece), "pieces of " + piece);
        }
    }

    @Test
    void tracksLineStart() {
        DotStuffer s = new DotStuffer();
        assertTrue(s.atLineStart());
        s.stuff(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), ByteBufAllocator.DEFAULT).release();
        assertFalse(s.atLineStart());
        s.stuff(Unpooled.copiedBuffer("\r\n", StandardCharsets.US_ASCII), ByteBufAllocator.DEFAULT).release();
        assertTrue(s.atLineStart());
    }

    /** What the stuffer sends, our own receiving framer must turn back into the original content. */
    @Test
    void roundTripsThroughTheReceivingFramer() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append(i % 3 == 0 ? "." : "").append(i % 5 == 0 ? "." : "").append("line ").append(i).append("\r\n");
        }
        String content = sb.toString();
        String wire = stuffInPieces(content, 37) + ".\r\n";
        SmtpFrameDecoder framer = new SmtpFrameDecoder(512);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean[] ended = {false};
        EmbeddedChannel ch = new EmbeddedChannel(framer, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof DataChunk) {
                    ByteBuf c = ((DataChunk) msg).content();
                    byte[] b = new byte[c.readableBytes()];
                    c.readBytes(b);
                    got.writeBytes(b);
                    ((DataChunk) msg).release();
                } else if (msg instanceof EndOfData) {
                    ended[0] = true;
                }
            }
        });
        framer.startData();
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
        assertTrue(ended[0]);
        assertEquals(content, got.toString(StandardCharsets.ISO_8859_1));
        ch.finishAndReleaseAll();
    }

    @Test
    void anyContentInAnyPiecesIsStuffedAsLineByLine() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = ".\r\n.a";
        for (int round = 0; round < 2_000; round++) {
            StringBuilder content = new StringBuilder();
            int length = random.nextInt(60);
            for (int i = 0; i < length; i++) {
                content.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = content.toString();
            // The reference: a dot doubled where it starts the content or follows an LF.
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '.' && (i == 0 || text.charAt(i - 1) == '\n')) {
                    expected.append('.');
                }
                expected.append(text.charAt(i));
            }
            int piece = 1 + random.nextInt(8);
            assertEquals(expected.toString(), stuffInPieces(text, piece), () -> "pieces of " + piece + ": " + text);
        }
    }
}
