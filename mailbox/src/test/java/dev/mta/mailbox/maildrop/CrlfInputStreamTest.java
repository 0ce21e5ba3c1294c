package dev.mta.mailbox.maildrop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CrlfInputStreamTest {
    /** Reads all of {@code s} through the stream, {@code room} octets a read, from a source that hands out one at a time. */
    private static String crlf(String s, int room) throws IOException {
        InputStream trickle = new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new CrlfInputStream(trickle)) {
            byte[] buf = new byte[room];
            int r;
            while ((r = in.read(buf, 0, room)) >= 0) {
                out.write(buf, 0, r);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 64})
    void bareLfsGetACrAndCrlfsStay(int room) throws IOException {
        assertEquals("a\r\nb\r\n\r\nc\r\nd\re", crlf("a\nb\r\n\nc\r\nd\re", room));
        assertEquals("\r\n\r\n", crlf("\n\n", room));
        assertEquals("", crlf("", room));
    }

    @Test
    void theSizeCountsWhatTheStreamGives() throws IOException {
        String file = "Subject: x\n\nbody\r\nmore\n";
        assertEquals(crlf(file, 64).length(), CrlfInputStream.crlfSize(
                new ByteArrayInputStream(file.getBytes(StandardCharsets.ISO_8859_1))));
    }
}
