package dev.mta.relay.transport;

import dev.mta.queue.model.MessageContent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeaderSectionTest {
    private static MessageContent of(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public long length() {
                return b.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(b);
            }
        };
    }

    @Test
    void theHeadersEndBeforeTheEmptyLine() throws Exception {
        assertEquals("Subject: hi\r\nFrom: a@b\r\n", HeaderSection.read(of("Subject: hi\r\nFrom: a@b\r\n\r\nbody\r\n")));
        assertEquals("", HeaderSection.read(of("\r\nbody only\r\n")));
        assertEquals("Subject: no body\r\n", HeaderSection.read(of("Subject: no body\r\n")));
        assertEquals("", HeaderSection.read(of("")));
    }

    @Test
    void anEmptyLineAcrossTwoReadsIsFoundAndTheBodyIsNotKept() throws Exception {
        String headers = "X-Long: " + "h".repeat(4094 - 8 - 2) + "\r\n"; // the CRLF CRLF straddles the 4 KiB step
        String text = HeaderSection.read(of(headers + "\r\n" + "b".repeat(100_000)));
        assertEquals(headers, text);
    }

    @Test
    void aHugeHeaderSectionIsCutAt64KiB() throws Exception {
        String text = HeaderSection.read(of("X-Huge: " + "h".repeat(100_000) + "\r\n\r\nbody"));
        assertEquals(64 * 1024, text.length());
    }
}
