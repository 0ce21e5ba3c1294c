package dev.mta.mailauth.dkim;

import java.nio.ByteBuffer;

/** Hands a ByteBuffer's bytes to something that takes arrays: its array when it has one, else copies of 8 KiB. */
final class ByteFeed {
    /** What takes the bytes. */
    interface Sink {
        void update(byte[] b, int offset, int length);
    }

    private ByteFeed() {
    }

    /** Feeds the remaining bytes of {@code buffer} to {@code sink}, leaving it with none remaining. */
    static void feed(ByteBuffer buffer, Sink sink) {
        if (buffer.hasArray()) {
            sink.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
            return;
        }
        byte[] chunk = new byte[Math.min(buffer.remaining(), 8192)];
        while (buffer.hasRemaining()) {
            int n = Math.min(chunk.length, buffer.remaining());
            buffer.get(chunk, 0, n);
            sink.update(chunk, 0, n);
        }
    }
}
