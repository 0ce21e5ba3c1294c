package dev.mta.relay.transport;

import dev.mta.queue.model.MessageContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A small message's content read whole, once, for one delivery attempt: the header read, the loop check and the
 * body sent take it from memory instead of reading the queue's files again, and the body leaves in one write with
 * the final dot. Larger messages stay streamed from the queue. Only the attempt holds it (a bounce reads the queue's
 * content), so the memory of the deliveries under way stays small: connections x {@link #MAX}.
 */
public final class LoadedContent implements MessageContent {
    /** The largest content read whole; most mail is far smaller. */
    public static final int MAX = 128 * 1024;

    private final byte[] bytes;

    private LoadedContent(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The content read whole when it is at most {@link #MAX} bytes, else {@code content} itself. Call from a thread
     * that may block on the disk.
     */
    public static MessageContent load(MessageContent content) throws IOException {
        if (content instanceof LoadedContent || content.length() > MAX) {
            return content;
        }
        int length = (int) content.length();
        byte[] b = new byte[length];
        try (InputStream in = content.openStream()) {
            int n = in.readNBytes(b, 0, length);
            if (n != length) {
                throw new IOException("queued content ended after " + n + " of " + length + " bytes");
            }
        }
        return new LoadedContent(b);
    }

    /** The content; not a copy, so read it only. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
    }
}
