package dev.mta.relay.transport;

import dev.mta.queue.model.MessageContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a queued message's header section (up to the empty line), bounded so a huge header cannot hurt. */
public final class HeaderSection {
    private static final int LIMIT = 64 * 1024;

    private HeaderSection() {
    }

    /** Read at a time: a header section is usually a few KiB, and the body after it is not wanted. */
    private static final int STEP = 4 * 1024;

    /** The headers with their CRLFs, without the empty line; at most 64 KiB. Call off the event loop. */
    public static String read(MessageContent body) throws IOException {
        int most = (int) Math.min(LIMIT, Math.max(0, body.length()));
        // A step at first, doubled as needed: headers are usually a few KiB, whatever the body's size (a buffer of
        // the whole 64 KiB for each delivery was a third of what the relay allocated).
        byte[] buf = new byte[Math.min(most, STEP)];
        int n = 0;
        int end = -1;
        try (InputStream in = body.openStream()) {
            while (n < most && end < 0) {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(most, buf.length * 2));
                }
                int got = in.readNBytes(buf, n, Math.min(STEP, buf.length - n));
                if (got <= 0) {
                    break;
                }
                end = blankLine(buf, Math.max(0, n - 3), n + got);
                n += got;
            }
        }
        if (end == 0) {
            return "";
        }
        return new String(buf, 0, end < 0 ? n : end + 2, StandardCharsets.UTF_8);
    }

    /** Where the empty line ends the header section (0 when the message opens with it), or -1 not yet. */
    private static int blankLine(byte[] b, int from, int to) {
        if (from == 0 && to >= 2 && b[0] == '\r' && b[1] == '\n') {
            return 0;
        }
        for (int i = Math.max(from, 0); i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
