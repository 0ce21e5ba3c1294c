package dev.mta.relay.bounce;

import dev.mta.queue.model.MessageContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a queued message's header section (up to the empty line), bounded so a huge header cannot hurt. */
public final class HeaderSection {
    private static final int LIMIT = 64 * 1024;

    private HeaderSection() {
    }

    /** The headers with their CRLFs, without the empty line; at most 64 KiB. Call off the event loop. */
    public static String read(MessageContent body) throws IOException {
        byte[] buf = new byte[LIMIT];
        int n;
        try (InputStream in = body.openStream()) {
            n = in.readNBytes(buf, 0, LIMIT);
        }
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        int end = text.startsWith("\r\n") ? 0 : text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end == 0 ? 0 : end + 2);
    }
}
