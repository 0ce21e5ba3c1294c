package dev.mta.queue.log;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * Record headers of a format-2 segment: magic, payload length, type, CRC32C of the payload, and a tag, the first
 * 8 bytes of HMAC-SHA256 under the segment's random key over the segment number, the record's offset and the
 * fields before it.
 *
 * <p>Why a keyed tag and not a CRC: message bodies are written by whoever sends mail, so a body may carry bytes
 * that look like a record. A reader that must resynchronise after a damaged length scans forward for the next
 * header that checks out; a CRC (even seeded with a salt) is linear, and a body can carry millions of candidate
 * headers, so some would pass. Without the key no content can forge a tag, and the offset in it means a genuine
 * header copied elsewhere does not check out either. Not thread-safe: used by the writer thread, or by recovery
 * before the writer starts.
 */
final class RecordHeaders {
    static final int MAGIC = 0xA74D5152;
    /** magic, length, type, payload CRC, tag. */
    static final int SIZE = 4 + 4 + 1 + 4 + 8;

    /** A header that checked out. */
    record Header(int length, byte type, int payloadCrc) {
    }

    private final long segment;
    private final Mac mac;
    private final byte[] input = new byte[8 + 8 + 4 + 4 + 1 + 4];
    private final byte[] digest = new byte[32];

    RecordHeaders(long segment, byte[] key) {
        this.segment = segment;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Writes the header of a record that starts at {@code offset} in this segment. */
    void write(ByteBuffer out, long offset, int length, byte type, int payloadCrc) {
        out.putInt(MAGIC).putInt(length).put(type).putInt(payloadCrc).putLong(tag(offset, length, type, payloadCrc));
    }

    /** The header in {@code h} (SIZE bytes from its position) if it is genuine for {@code offset}, else null. */
    Header check(ByteBuffer h, long offset) {
        int p = h.position();
        if (h.getInt(p) != MAGIC) {
            return null;
        }
        int length = h.getInt(p + 4);
        byte type = h.get(p + 8);
        int crc = h.getInt(p + 9);
        if (h.getLong(p + 13) != tag(offset, length, type, crc)) {
            return null;
        }
        return new Header(length, type, crc);
    }

    private long tag(long offset, int length, byte type, int payloadCrc) {
        ByteBuffer.wrap(input).putLong(segment).putLong(offset).putInt(MAGIC).putInt(length).put(type).putInt(payloadCrc);
        mac.update(input);
        try {
            mac.doFinal(digest, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return ByteBuffer.wrap(digest).getLong();
    }
}
