package dev.mta.queue.index;

import dev.mta.queue.index.LegacyRecords;
import dev.mta.queue.log.Location;
import dev.mta.queue.model.Envelope;
import dev.mta.testkit.LeakGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The MESSAGE record of format 4: without a header prefix it is format 3's layout byte for byte; with one, the
 * prefix follows the inline bytes and is the stored message's first piece. A trailing part that does not fill the
 * record is damage.
 */
@ExtendWith(LeakGuard.class)
class MessageRecordPrefixTest {
    private static final Envelope ENVELOPE = new Envelope(LegacyRecords.path("s@example.com"),
            LegacyRecords.parameters(""), List.of(LegacyRecords.path("r@example.org")), "192.0.2.1", "c.test", "ESMTP");
    private static final List<Location> CHUNKS = List.of(new Location(1, 4200, 1000));

    private static ByteBuf encode(String inline, String prefix) {
        ByteBuf body = Unpooled.copiedBuffer(inline, StandardCharsets.US_ASCII);
        ByteBuf p = Unpooled.copiedBuffer(prefix, StandardCharsets.US_ASCII);
        try {
            return RecordCodec.encodeMessage(ByteBufAllocator.DEFAULT, 7, 1000, ENVELOPE, CHUNKS,
                    1000 + inline.length() + prefix.length(), List.of(body), inline.length(), p);
        } finally {
            body.release();
            p.release();
        }
    }

    private static QueuedMessage decode(ByteBuf payload, Location where, int format) {
        try {
            return RecordCodec.decodeMessage(payload, where, format);
        } finally {
            payload.release();
        }
    }

    @Test
    void withoutAPrefixTheRecordIsFormatThreesLayout() {
        ByteBuf none = encode("inline\r\n", "");
        Location where = new Location(2, 5000, none.readableBytes());
        QueuedMessage asThree = decode(none.retainedDuplicate(), where, RecordCodec.TYPED);
        QueuedMessage asFour = decode(none, where, RecordCodec.FORMAT);
        assertEquals(0, asFour.prefixLength);
        assertArrayEquals(asThree.bodyPieces(), asFour.bodyPieces());
        assertEquals(asThree.inlineOffset + asThree.inlineLength, where.length(), "nothing after the inline bytes");
        assertArrayEquals(new long[]{1, 4200, 1000, 2, 5000 + asFour.inlineOffset, 8}, asFour.bodyPieces());
    }

    @Test
    void aPrefixIsTheFirstPieceAndCountsInTheLength() {
        String prefix = "Authentication-Results: mx.example; spf=pass\r\n";
        ByteBuf with = encode("inline\r\n", prefix);
        int length = with.readableBytes();
        Location where = new Location(2, 5000, length);
        QueuedMessage m = decode(with, where, RecordCodec.FORMAT);
        assertEquals(prefix.length(), m.prefixLength);
        assertEquals(1000 + 8 + prefix.length(), m.bodyLength());
        assertArrayEquals(new long[]{2, 5000 + length - prefix.length(), prefix.length(), 1, 4200, 1000,
                2, 5000 + m.inlineOffset, 8}, m.bodyPieces());
        QueuedMessage fresh = RecordCodec.newMessage(7, 1000, ENVELOPE, CHUNKS, where, m.bodyLength(), 8,
                prefix.length());
        assertArrayEquals(m.bodyPieces(), fresh.bodyPieces(), "the entry built at commit matches the one recovered");
        assertEquals(m.inlineOffset, fresh.inlineOffset);
    }

    @Test
    void aTrailingPartThatDoesNotFillTheRecordIsDamage() {
        ByteBuf with = encode("inline\r\n", "X: y\r\n");
        ByteBuf cut = with.retainedSlice(0, with.readableBytes() - 1);
        with.release();
        Location where = new Location(2, 5000, cut.readableBytes());
        assertThrows(IllegalArgumentException.class, () -> decode(cut, where, RecordCodec.FORMAT));
    }
}
