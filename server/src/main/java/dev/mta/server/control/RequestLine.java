package dev.mta.server.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the one line of a control request: UTF-8 up to a newline (or the end of input), bounded in length. */
final class RequestLine {
    private RequestLine() {
    }

    /** The line without its newline; IllegalArgumentException when it is longer than {@code max} bytes or empty. */
    static String read(ReadableByteChannel ch, int max) throws IOException {
        byte[] line = new byte[Math.min(max, 4096)];
        int length = 0;
        ByteBuffer one = ByteBuffer.allocate(4096);
        while (true) {
            one.clear();
            int n = ch.read(one);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte b = one.get(i);
                if (b == '\n') {
                    return text(line, length);
                }
                if (length == max) {
                    throw new IllegalArgumentException("request longer than " + max + " bytes");
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(max, line.length * 2));
                }
                line[length++] = b;
            }
        }
        return text(line, length);
    }

    private static String text(byte[] line, int length) {
        if (length == 0) {
            throw new IllegalArgumentException("empty request");
        }
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
