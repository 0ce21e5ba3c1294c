package dev.mta.protocol.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiLineBodyTest {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    /** Feeds {@code content} in pieces of {@code chunk} octets, as the reader hands them on, and ends the reply. */
    private static String run(MultiLineBody body, String content, int chunk) {
        byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length && !body.complete(); i += chunk) {
            ByteBuf in = Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i));
            ByteBuf piece = body.next(in, ALLOC);
            try {
                byte[] b = new byte[piece.readableBytes()];
                piece.readBytes(b);
                out.writeBytes(b);
            } finally {
                piece.release();
                in.release();
                assertEquals(0, in.refCnt());
            }
        }
        ByteBuf end = body.end(ALLOC);
        out.writeBytes(bytesOf(end));
        end.release();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytesOf(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 4096})
    void stuffsLeadingDotsAcrossChunkBorders(int chunk) {
        String msg = "Subject: x\r\n\r\n.\r\n..two\r\nmid.dle\r\n.end\r\n";
        assertEquals("Subject: x\r\n\r\n..\r\n...two\r\nmid.dle\r\n..end\r\n.\r\n", run(MultiLineBody.whole(), msg, chunk));
    }

    @Test
    void aMessageWithoutAFinalLineEndGetsOne() {
        assertEquals("a\r\nb\r\n.\r\n", run(MultiLineBody.whole(), "a\r\nb", 4096));
        assertEquals(".\r\n", run(MultiLineBody.whole(), "", 4096));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 4096})
    void topSendsTheHeaderTheBlankLineAndNLines(int chunk) {
        String msg = "A: 1\r\nB: 2\r\n\r\nline1\r\n.line2\r\nline3\r\n";
        assertEquals("A: 1\r\nB: 2\r\n\r\n.\r\n", run(MultiLineBody.top(0), msg, chunk));
        assertEquals("A: 1\r\nB: 2\r\n\r\nline1\r\n..line2\r\n.\r\n", run(MultiLineBody.top(2), msg, chunk));
        assertEquals(msg.replace("\n.line2", "\n..line2") + ".\r\n", run(MultiLineBody.top(10), msg, chunk));
    }

    @Test
    void topKnowsWhenItHasEnough() {
        MultiLineBody top = MultiLineBody.top(1);
        ByteBuf in = Unpooled.copiedBuffer("H: v\r\n\r\nbody\r\nmore\r\n", StandardCharsets.US_ASCII);
        ByteBuf out = top.next(in, ALLOC);
        assertTrue(top.complete());
        assertEquals("H: v\r\n\r\nbody\r\n", out.toString(StandardCharsets.US_ASCII));
        out.release();
        in.release();
        assertFalse(MultiLineBody.whole().complete());
    }

    @Test
    void aHeaderWithoutBodyIsSentWhole() {
        assertEquals("H: v\r\n.\r\n", run(MultiLineBody.top(3), "H: v\r\n", 4096));
    }
}
