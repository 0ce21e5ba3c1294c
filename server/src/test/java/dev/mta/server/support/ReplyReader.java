package dev.mta.server.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Replies read through a buffer, for tests that pipeline thousands of commands (the {@link SmtpTestClient} reads a
 * byte per call). As strict as that client: each line "ddd-" or "ddd " with one code, ended by CRLF.
 */
public final class ReplyReader {
    private final InputStream in;

    public ReplyReader(InputStream in) {
        this.in = new BufferedInputStream(in, 64 << 10);
    }

    /** The next reply; an IOException when the connection ends first. */
    public Reply next() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed while reading a reply; got " + lines);
            }
            if (line.length() < 4 || !line.substring(0, 3).matches("\\d{3}")
                    || (line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("malformed reply line: " + line);
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new IOException("reply code changed within a multi-line reply: " + line);
            }
            code = c;
            lines.add(line.substring(4));
            if (line.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
        }
    }

    /** True when the server has closed the connection (end of stream or reset) and sent nothing more. */
    public boolean closed() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // a reset counts as closed
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                if (prev != '\r') {
                    throw new IOException("reply line not ended by CRLF");
                }
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            buf.write(b);
            prev = b;
        }
    }
}
