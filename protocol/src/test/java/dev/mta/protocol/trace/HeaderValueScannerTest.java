package dev.mta.protocol.trace;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderValueScannerTest {
    private static String scanWhole(String content) {
        HeaderValueScanner s = HeaderValueScanner.messageId();
        byte[] b = content.getBytes(StandardCharsets.ISO_8859_1);
        s.scan(b, 0, b.length);
        return s.value();
    }

    /** Fed a byte at a time, as a client that trickles its content would. */
    private static String scanByteByByte(String content) {
        HeaderValueScanner s = HeaderValueScanner.messageId();
        byte[] b = content.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            ByteBuf one = Unpooled.wrappedBuffer(b, i, 1);
            s.scan(one);
            one.release();
        }
        return s.value();
    }

    @Test
    void findsTheHeaderInAnyCaseAndAnywhereAmongTheHeaders() {
        String m = "From: a@example.com\r\nmessage-ID:  <1234.abc@example.com> \r\nSubject: x\r\n\r\nbody\r\n";
        assertEquals("<1234.abc@example.com>", scanWhole(m));
        assertEquals("<1234.abc@example.com>", scanByteByByte(m));
    }

    @Test
    void unfoldsAFoldedValue() {
        String m = "Message-Id:\r\n\t<folded@example.com>\r\nSubject: x\r\n\r\n";
        assertEquals("<folded@example.com>", scanWhole(m));
        assertEquals("<folded@example.com>", scanByteByByte(m));
    }

    @Test
    void noneInTheHeadersIsNullEvenWhenTheBodyHasOne() {
        assertNull(scanWhole("Subject: x\r\n\r\nMessage-ID: <in-the-body@example.com>\r\n"));
        assertNull(scanWhole("X-Message-ID: <not-it@example.com>\r\nMessage-IDs: <nor-this@example.com>\r\n\r\n"));
        assertNull(scanWhole(""));
    }

    @Test
    void theFirstOneCountsAndTheScanStopsThere() {
        HeaderValueScanner s = HeaderValueScanner.messageId();
        byte[] b = "Message-ID: <first@x>\r\nMessage-ID: <second@x>\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        s.scan(b, 0, b.length);
        assertTrue(s.done());
        assertEquals("<first@x>", s.value());
    }

    @Test
    void theEndOfTheHeadersEndsTheScan() {
        HeaderValueScanner s = HeaderValueScanner.messageId();
        byte[] b = "Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        s.scan(b, 0, b.length);
        assertTrue(s.done());
        assertNull(s.value());
    }

    @Test
    void headersPastTheBoundAreNotSearched() {
        StringBuilder m = new StringBuilder();
        while (m.length() < HeaderValueScanner.MAX_SCANNED) {
            m.append("X-Filler: ").append("y".repeat(70)).append("\r\n");
        }
        m.append("Message-ID: <late@example.com>\r\n\r\n");
        HeaderValueScanner s = HeaderValueScanner.messageId();
        byte[] b = m.toString().getBytes(StandardCharsets.US_ASCII);
        s.scan(b, 0, b.length);
        assertTrue(s.done());
        assertNull(s.value());
    }

    @Test
    void aLongValueIsCutAndOddBytesAreMadePrintable() {
        String id = "<" + "a".repeat(400) + "@example.com>";
        String got = scanWhole("Message-ID: " + id + "\r\n\r\n");
        assertEquals(HeaderValueScanner.MAX_VALUE + 3, got.length());
        assertTrue(got.startsWith("<aaa") && got.endsWith("..."), got);
        assertEquals("<caf??@example.com>", scanWhole("Message-ID: <caf\u00e9\u0007@example.com>\r\n\r\n"));
    }

    @Test
    void aBufferIsReadInPlace() {
        ByteBuf b = Unpooled.copiedBuffer("Message-ID: <x@y>\r\n\r\n", StandardCharsets.US_ASCII);
        b.readerIndex(0);
        int readable = b.readableBytes();
        HeaderValueScanner s = HeaderValueScanner.messageId();
        s.scan(b);
        assertEquals(0, b.readerIndex());
        assertEquals(readable, b.readableBytes());
        assertEquals("<x@y>", s.value());
        b.release();
    }

    @Test
    void untilTheHeadersEndMoreContentMayStillBringIt() {
        HeaderValueScanner s = HeaderValueScanner.messageId();
        byte[] b = "Subject: x\r\n".getBytes(StandardCharsets.US_ASCII);
        s.scan(b, 0, b.length);
        assertFalse(s.done());
        assertNull(s.value());
    }
}
