package dev.mta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the framer like the session does: a handler after it records what comes out and switches to data mode
 * when it sees a DATA line.
 */
class SmtpFrameDecoderTest {
    private final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private SmtpFrameDecoder framer;
    private EmbeddedChannel channel;
    /** Every read written and every buffer the framer made: all must be released by the end of each test. */
    private final List<ByteBuf> reads = new ArrayList<>();
    private final TrackingAllocator alloc = new TrackingAllocator();
    /** What a DATA line starts: as the session does for a client that has or has not authenticated. */
    private BareNewline bareNewline = BareNewline.REJECT;

    private void open(int maxLine) {
        framer = new SmtpFrameDecoder(maxLine);
        channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(framer, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf) {
                    ByteBuf b = (ByteBuf) msg;
                    String line = b.toString(StandardCharsets.UTF_8);
                    b.release();
                    events.add("LINE:" + line);
                    if (line.equals("DATA")) {
                        framer.startData(bareNewline);
                    } else if (line.equals("STARTTLS")) {
                        // As the session does on STARTTLS: stop, and forget whatever was pipelined behind it.
                        framer.pause();
                        events.add("DISCARDED:" + framer.discardBuffered());
                    }
                } else if (msg instanceof DataChunk) {
                    DataChunk c = (DataChunk) msg;
                    byte[] bytes = new byte[c.content().readableBytes()];
                    c.content().readBytes(bytes);
                    content.writeBytes(bytes);
                    c.release();
                } else {
                    events.add(msg.toString());
                }
            }
        });
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        for (ByteBuf b : reads) {
            assertEquals(0, b.refCnt(), "a read was not released");
        }
        for (ByteBuf b : alloc.allocated) {
            assertEquals(0, b.refCnt(), "a buffer of the framer's was not released");
        }
    }

    private void write(String s) {
        ByteBuf read = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        reads.add(read);
        channel.writeInbound(read);
    }

    private void writeByteByByte(String s) {
        for (char c : s.toCharArray()) {
            write(String.valueOf(c));
        }
    }

    private String content() {
        return content.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void discardBufferedDropsWhatWasPipelinedBehindTheLineBeingHandedOn() {
        open(512);
        write("NOOP\r\nSTARTTLS\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@exa");
        assertEquals(List.of("LINE:NOOP", "LINE:STARTTLS", "DISCARDED:41"), events);
        framer.resume();
        assertEquals(3, events.size(), "nothing of the discarded input is ever handed on");
        write("EHLO again\r\n");
        assertEquals("LINE:EHLO again", events.get(3));
    }

    @Test
    void discardBufferedForgetsALongLineBeingSkippedAndHeldInput() {
        open(512);
        framer.pause();
        write("MAIL FROM:<a@example.org>\r\nRC");
        assertEquals(29, framer.discardBuffered());
        assertEquals(0, framer.discardBuffered());
        framer.resume();
        write("x".repeat(600));
        framer.discardBuffered();
        write("NOOP\r\n");
        assertEquals(List.of("LINE:NOOP"), events);
    }

    @Test
    void splitsCommandLinesOnCrlfOnly() {
        open(512);
        write("HELO a\r\nNOOP\r\nQU");
        write("IT\r\n");
        assertEquals(List.of("LINE:HELO a", "LINE:NOOP", "LINE:QUIT"), events);
    }

    @Test
    void bareLfInCommandIsAnErrorNotALineEnd() {
        open(512);
        write("NOOP\nNOOP\r\n\nRSET\r\n");
        assertEquals(List.of("BARE_LF", "LINE:NOOP", "BARE_LF", "LINE:RSET"), events);
    }

    @Test
    void bareCrStaysInsideTheLine() {
        open(512);
        write("NOOP\rRSET\r\n");
        assertEquals(List.of("LINE:NOOP\rRSET"), events);
    }

    @Test
    void lineLimitCountsTheCrlf() {
        open(10);
        write("12345678\r\n");
        write("123456789\r\n");
        write("NOOP\r\n");
        assertEquals(List.of("LINE:12345678", "LINE_TOO_LONG", "LINE:NOOP"), events);
    }

    @Test
    void overlongLineIsDiscardedWithoutBufferingAndAnsweredAtItsEnd() {
        open(16);
        write("x".repeat(100));
        assertTrue(events.isEmpty());
        write("y".repeat(100_000));
        assertTrue(events.isEmpty());
        write("zz\r\nNOOP\r\n");
        assertEquals(List.of("LINE_TOO_LONG", "LINE:NOOP"), events);
    }

    @Test
    void dataIsUnstuffedAndEndsAtCrlfDotCrlf() {
        open(512);
        write("DATA\r\nSubject: x\r\n\r\n..leading dot\r\n...\r\nend\r\n.\r\nQUIT\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData", "LINE:QUIT"), events);
        assertEquals("Subject: x\r\n\r\n.leading dot\r\n..\r\nend\r\n", content());
    }

    @Test
    void lineOfADotAndTextLosesOnlyTheDot() {
        open(512);
        write("DATA\r\n.x\r\n. \r\n.\r\n");
        assertEquals("x\r\n \r\n", content());
    }

    @Test
    void emptyMessage() {
        open(512);
        write("DATA\r\n.\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData"), events);
        assertEquals("", content());
    }

    @Test
    void byteByByteGivesTheSameResult() {
        open(512);
        String input = "DATA\r\nA\r\n..B\r\n.\rC\r\n.\r\nNOOP\r\n";
        writeByteByByte(input);
        assertEquals(List.of("LINE:DATA", "EndOfData(bare line ending)", "LINE:NOOP"), events);
        assertEquals("A\r\n.B\r\n\rC\r\n", content());
    }

    @Test
    void everySplitPointGivesTheSameResult() {
        String input = "DATA\r\nline1\r\n..dot\r\n.\r\n";
        for (int split = 1; split < input.length(); split++) {
            events.clear();
            content.reset();
            open(512);
            write(input.substring(0, split));
            write(input.substring(split));
            assertEquals(List.of("LINE:DATA", "EndOfData"), events, "split at " + split);
            assertEquals("line1\r\n.dot\r\n", content(), "split at " + split);
            channel.finishAndReleaseAll();
        }
    }

    /** SMTP smuggling shapes: none of them may end the message; all are flagged. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\r\n.\r", "\r.\r", "\n.\r", "\r\n.\rX\r\n"})
    void smugglingShapesNeverEndTheMessage(String shape) {
        open(512);
        write("DATA\r\nbody" + shape + "MAIL FROM:<evil@example.com>\r\nRCPT TO:<v@example.com>\r\nDATA\r\nsmuggled\r\n.\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData(bare line ending)"), events, "shape " + shape.replace("\r", "\\r").replace("\n", "\\n"));
        assertTrue(content().contains("MAIL FROM:<evil@example.com>"));
    }

    @Test
    void pauseBuffersInputUntilResume() {
        open(512);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                events.add("COMPLETE");
            }
        });
        framer.pause();
        write("NOOP\r\nRSET\r\n");
        assertEquals(List.of("COMPLETE"), events);
        framer.resume();
        assertEquals(List.of("COMPLETE", "LINE:NOOP", "LINE:RSET", "COMPLETE"), events);
    }

    @Test
    void largeDataArrivesInOrderAndComplete() {
        open(512);
        write("DATA\r\n");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            String line = (i % 7 == 0 ? "." : "") + "line " + i + " " + "x".repeat(i % 50);
            write((line.startsWith(".") ? "." : "") + line + "\r\n");
            expected.append(line).append("\r\n");
        }
        write(".\r\n");
        assertEquals(expected.toString(), content());
        assertEquals(List.of("LINE:DATA", "EndOfData"), events);
    }

    // ---- bare LF normalised (authenticated submission) ----

    private void openNormalizing() {
        bareNewline = BareNewline.NORMALIZE;
        open(512);
    }

    @Test
    void normalizeTurnsBareLfIntoCrlf() {
        openNormalizing();
        write("DATA\r\nSubject: x\n\nline one\nline two\r\nline three\n\r\n.\r\nNOOP\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData", "LINE:NOOP"), events);
        assertEquals("Subject: x\r\n\r\nline one\r\nline two\r\nline three\r\n\r\n", content());
    }

    @Test
    void normalizeTakesTheLineAfterABareLfAsSent() {
        // curl stuffs dots only after CRLF: a Unix file's ".x" line arrives as "\n.x" and must stay ".x".
        openNormalizing();
        write("DATA\r\na\n..leading dot\n.x\n...\r\n..after crlf\r\n.\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData"), events);
        assertEquals("a\r\n..leading dot\r\n.x\r\n...\r\n.after crlf\r\n", content());
    }

    @Test
    void normalizeAtTheVeryStartOfData() {
        openNormalizing();
        write("DATA\r\n\n.\r\n.\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData"), events);
        assertEquals("\r\n.\r\n", content(), "a bare LF first, then a \".\" line reached through it: content");
    }

    /**
     * None of the shapes that end DATA for a lax reader ends it here, normalising or not: what is reached through a
     * bare LF, or ended by one, is content ("." lines included, to be stuffed again when relayed), and a bare CR
     * still refuses the message.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r\n.\n"})
    void normalizeNeverEndsDataAtABareLf(String shape) {
        openNormalizing();
        write("DATA\r\nbody" + shape + "MAIL FROM:<evil@example.com>\r\n.\r\nNOOP\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData", "LINE:NOOP"), events, escape(shape));
        assertEquals("body\r\n.\r\nMAIL FROM:<evil@example.com>\r\n", content(), escape(shape));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r.\r\n", "\r\n.\r", "\r.\r", "\n.\r", "\r\n.\rX\r\n", "\rX\n", "\n\r.\n"})
    void normalizeStillRefusesABareCr(String shape) {
        openNormalizing();
        write("DATA\r\nbody" + shape + "MAIL FROM:<evil@example.com>\r\n.\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData(bare line ending)"), events, escape(shape));
    }

    @Test
    void normalizeLeavesCommandsStrict() {
        openNormalizing();
        write("NOOP\nDATA\r\na\nb\r\n.\r\nRSET\nQUIT\r\n");
        assertEquals(List.of("BARE_LF", "LINE:DATA", "EndOfData", "BARE_LF", "LINE:QUIT"), events);
        assertEquals("a\r\nb\r\n", content());
    }

    @Test
    void normalizeIsPerMessage() {
        openNormalizing();
        write("DATA\r\na\nb\r\n.\r\n");
        bareNewline = BareNewline.REJECT;
        write("DATA\r\na\nb\r\n.\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData", "LINE:DATA", "EndOfData(bare line ending)"), events);
    }

    /** Every way of splitting the tricky shapes gives what one read gives: the held-back dot decides nothing early. */
    @Test
    void normalizeEverySplitPointGivesTheSameResult() {
        String input = "DATA\r\na\n.\nb\r\n.\n..c\n.\r\nd\n.d\r\n.\r\nNOOP\r\n";
        String expected = "a\r\n.\r\nb\r\n.\r\n..c\r\n.\r\nd\r\n.d\r\n";
        for (int split = 1; split < input.length(); split++) {
            for (int second = split + 1; second <= input.length(); second++) {
                events.clear();
                content.reset();
                openNormalizing();
                write(input.substring(0, split));
                write(input.substring(split, second));
                if (second < input.length()) {
                    write(input.substring(second));
                }
                assertEquals(List.of("LINE:DATA", "EndOfData", "LINE:NOOP"), events, "split at " + split + ", " + second);
                assertEquals(expected, content(), "split at " + split + ", " + second);
                channel.finishAndReleaseAll();
            }
        }
    }

    @Test
    void normalizeByteByByte() {
        openNormalizing();
        writeByteByByte("DATA\r\nx\n.\n\n..\n.\r\n.\r\n");
        assertEquals(List.of("LINE:DATA", "EndOfData"), events);
        assertEquals("x\r\n.\r\n\r\n..\r\n.\r\n", content());
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
