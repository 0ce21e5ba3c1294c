package dev.mta.bench.load;

import java.io.ByteArrayOutputStream;

/** RFC 5321 4.5.2 transparency: a line of message content that starts with a dot gets a second one. */
final class DotStuffing {
    private DotStuffing() {
    }

    /** {@code content} (lines ending in CRLF) as it goes on the wire, before the final {@code .CRLF}. */
    static byte[] stuff(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 64 + 4);
        boolean lineStart = true;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n' && i > 0 && content[i - 1] == '\r';
        }
        return out.toByteArray();
    }
}
