package dev.mta.protocol.codec;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.fuzz.RfcReplyCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Tag;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The framer with the command decoder after it, fed any bytes in any splits, switching to data mode when a DATA
 * command passes (as the session does). What comes out is compared with a plain reference reading of the whole
 * input at once: so no split changes the outcome, a bare LF or CR never ends data, one CRLF.CRLF ends exactly one
 * message and the content is dot-unstuffed right (in normalize mode: every bare LF handed on as CRLF, the line after
 * it taken as sent, and a "." line ended by a bare LF kept as content). Also: no exception escapes,
 * no line exceeds the limit, every refusal has an RFC code, and every buffer (the reads, the framer's own, every
 * slice) ends with refCnt 0.
 *
 * <p>Input layout: byte 0 picks the line limit (bit 7: 16, else 512), the bare LF mode of every DATA (bit 6:
 * {@link BareNewline#NORMALIZE}, else {@link BareNewline#REJECT}) and the splits (bits 0-5: 0 = one read, else a
 * seed for read sizes of 1..n); the rest is the client's byte stream. Seeds are in
 * {@code SmtpFrameDecoderFuzzTestInputs/frames/}.
 */
@Tag("fuzz")
class SmtpFrameDecoderFuzzTest {
    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @FuzzTest(maxDuration = "60s")
    // libFuzzer's dictionary syntax: control and non-ASCII bytes as \\xNN.
    @DictionaryEntries({"\\x0d\\x0a", "\\x0a", "\\x0d", ".", "\\x0d\\x0a.\\x0d\\x0a", "\\x0a.\\x0a",
            "\\x0d\\x0a.\\x0a", "\\x0a.\\x0d\\x0a", "\\x0d.\\x0d", "DATA\\x0d\\x0a", "data\\x0d\\x0a",
            "MAIL FROM:<a@b>\\x0d\\x0a", "RCPT TO:<c@d>\\x0d\\x0a", "RSET\\x0d\\x0a", "..", "\\xc3\\xa9"})
    void frames(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int control = input[0] & 0xff;
        int maxLine = (control & 0x80) != 0 ? 16 : 512;
        BareNewline mode = (control & 0x40) != 0 ? BareNewline.NORMALIZE : BareNewline.REJECT;
        int splits = control & 0x3f;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        TrackingAllocator alloc = new TrackingAllocator();
        SmtpFrameDecoder framer = new SmtpFrameDecoder(maxLine);
        Recorder recorder = new Recorder(framer, mode);
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(framer, new LineCheck(maxLine), new SmtpCommandDecoder(), recorder);
        ch.register();

        List<ByteBuf> reads = new ArrayList<>();
        long seed = splits;
        int at = 0;
        while (at < stream.length) {
            int n = stream.length - at;
            if (seed != 0) {
                seed = (seed * 6364136223846793005L + 1442695040888963407L);
                n = Math.min(n, 1 + (int) ((seed >>> 33) % splits));
            }
            ByteBuf read = Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at, at + n));
            reads.add(read);
            ch.writeInbound(read); // rethrows whatever reached the end of the pipeline
            at += n;
        }
        ch.checkException();
        recorder.endOfInput();
        ch.finishAndReleaseAll();

        for (ByteBuf b : reads) {
            assertEquals(0, b.refCnt(), "a read was not released");
        }
        for (ByteBuf b : alloc.allocated) {
            assertEquals(0, b.refCnt(), "a buffer of the framer's was not released");
        }

        Reference expected = Reference.read(stream, maxLine, mode);
        assertEquals(expected.events, recorder.events, "outcome differs from the reference reading of the input");
        String pending = recorder.content.toString(StandardCharsets.ISO_8859_1);
        assertTrue(expected.pendingContent.startsWith(pending)
                        && expected.pendingContent.length() - pending.length() <= 1,
                () -> "unfinished content " + escape(pending) + " vs " + escape(expected.pendingContent));
    }

    /** Between the framer and the command decoder: no line handed on is over the limit or holds an LF. */
    private static final class LineCheck extends ChannelInboundHandlerAdapter {
        private final int maxLine;

        LineCheck(int maxLine) {
            this.maxLine = maxLine;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                ByteBuf line = (ByteBuf) msg;
                if (line.readableBytes() + 2 > maxLine || line.indexOf(line.readerIndex(), line.writerIndex(),
                        (byte) '\n') >= 0) {
                    line.release();
                    throw new AssertionError("line over the limit of " + maxLine + " or with an LF in it");
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** What the session does after the framer, recorded as text. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        private final SmtpFrameDecoder framer;
        private final BareNewline mode;

        Recorder(SmtpFrameDecoder framer, BareNewline mode) {
            this.framer = framer;
            this.mode = mode;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof SmtpCommand) {
                SmtpCommand c = (SmtpCommand) msg;
                if (c.isRejected()) {
                    assertTrue(RfcReplyCodes.allowed(c.rejection().code()), () -> "reply code " + c.rejection());
                }
                events.add("CMD " + c.verb() + (c.isRejected() ? " " + c.rejection().code() : ""));
                if (c.verb() == SmtpVerb.DATA && !c.isRejected()) {
                    framer.startData(mode);
                }
            } else if (msg instanceof DataChunk) {
                DataChunk chunk = (DataChunk) msg;
                try {
                    assertTrue(framer.isDataMode(), "content outside data mode");
                    byte[] bytes = new byte[chunk.content().readableBytes()];
                    chunk.content().getBytes(chunk.content().readerIndex(), bytes);
                    content.writeBytes(bytes);
                } finally {
                    chunk.release();
                }
            } else if (msg instanceof EndOfData) {
                events.add("MESSAGE " + escape(content.toString(StandardCharsets.ISO_8859_1))
                        + (((EndOfData) msg).hasBareLineEnding() ? " (bare)" : ""));
                content.reset();
            } else if (msg instanceof FramingError) {
                events.add("ERROR " + msg);
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
                throw new AssertionError("unexpected " + msg);
            }
        }

        void endOfInput() {
        }
    }

    /** The framer's contract written as plainly as possible, over the whole input at once. */
    private static final class Reference {
        final List<String> events = new ArrayList<>();
        String pendingContent = "";

        static Reference read(byte[] s, int maxLine, BareNewline mode) {
            boolean normalize = mode == BareNewline.NORMALIZE;
            Reference r = new Reference();
            int i = 0;
            while (i < s.length) {
                int lf = indexOf(s, (byte) '\n', i);
                if (lf < 0) {
                    return r; // an unfinished line: nothing yet
                }
                int start = i;
                i = lf + 1;
                if (lf + 1 - start > maxLine) {
                    r.events.add("ERROR " + FramingError.LINE_TOO_LONG);
                    continue;
                }
                if (lf == start || s[lf - 1] != '\r') {
                    r.events.add("ERROR " + FramingError.BARE_LF);
                    continue;
                }
                byte[] line = Arrays.copyOfRange(s, start, lf - 1);
                SmtpCommand c = parse(line);
                r.events.add("CMD " + c.verb() + (c.isRejected() ? " " + c.rejection().code() : ""));
                if (c.verb() != SmtpVerb.DATA || c.isRejected()) {
                    continue;
                }
                // Data: ends at the first "." CRLF at a line start (the start of data, or after a CRLF).
                // Normalize mode: a bare LF becomes CRLF and the line after it is taken as sent (no unstuffing, never
                // the end); a "." line ended by a bare LF is content. A dot whose next byte has not come is not
                // content yet.
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                boolean bare = false;
                boolean ended = false;
                int j = i;
                while (j < s.length) {
                    boolean crlfStart = j == i || (j >= i + 2 && s[j - 2] == '\r' && s[j - 1] == '\n');
                    if (crlfStart && s[j] == '.') {
                        byte next = j + 1 < s.length ? s[j + 1] : 0;
                        if (next == '\r' && j + 2 < s.length && s[j + 2] == '\n') {
                            ended = true;
                            j += 3;
                            break;
                        }
                        if (normalize && next == '\n') {
                            content.write('.'); // a "." line that does not end data: content
                        }
                        j++; // else a stuffed dot, never content
                        continue;
                    }
                    byte b = s[j];
                    boolean bareLf = b == '\n' && (j == i || s[j - 1] != '\r');
                    if (bareLf && !normalize) {
                        bare = true;
                    }
                    if (b == '\r' && j + 1 < s.length && s[j + 1] != '\n') {
                        bare = true;
                    }
                    if (bareLf && normalize) {
                        content.write('\r');
                    }
                    content.write(b);
                    j++;
                }
                String text = content.toString(StandardCharsets.ISO_8859_1);
                if (!ended) {
                    r.pendingContent = text;
                    return r;
                }
                r.events.add("MESSAGE " + escape(text) + (bare ? " (bare)" : ""));
                i = j;
            }
            return r;
        }

        private static SmtpCommand parse(byte[] line) {
            // As SmtpCommandDecoder: ASCII, or strict UTF-8, else a 501 for invalid UTF-8.
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(line)).toString();
                return dev.mta.protocol.command.CommandParser.parse(text);
            } catch (CharacterCodingException e) {
                return SmtpCommand.rejected(SmtpVerb.UNKNOWN, dev.mta.protocol.reply.Replies.INVALID_UTF8);
            }
        }

        private static int indexOf(byte[] s, byte b, int from) {
            for (int k = from; k < s.length; k++) {
                if (s[k] == b) {
                    return k;
                }
            }
            return -1;
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }
}
