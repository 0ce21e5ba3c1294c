package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splitting a message into header fields and body, whole and as it streams in. */
class MessageHeadersTest {
    private static final String MESSAGE = "From: a@example.com\r\nSubject: folded\r\n  twice\r\n\tand more\r\n"
            + "To : b@example.net\r\n\r\nbody\r\n\r\nmore\r\n";

    @Test
    void fieldsKeepTheirFolding() {
        MessageHeaders h = parse(MESSAGE);
        assertEquals(List.of("From: a@example.com", "Subject: folded\r\n  twice\r\n\tand more", "To : b@example.net"),
                h.fields().stream().map(HeaderField::raw).toList());
        assertEquals("To", h.fields().get(2).name());
        assertTrue(h.fields().get(2).hasName("TO"));
        assertEquals(MESSAGE.indexOf("body"), h.bodyStart());
    }

    @Test
    void noEmptyLineMeansNoBody() {
        MessageHeaders h = parse("From: a\r\nTo: b\r\n");
        assertEquals(2, h.fields().size());
        assertEquals(16, h.bodyStart());
        assertEquals(List.of("From: a"), parse("From: a").fields().stream().map(HeaderField::raw).toList());
    }

    @Test
    void emptyHeaderSectionAndLeadingContinuation() {
        MessageHeaders empty = parse("\r\nbody\r\n");
        assertEquals(0, empty.fields().size());
        assertEquals(2, empty.bodyStart());
        assertEquals(List.of(" stray", "From: a"),
                parse(" stray\r\nFrom: a\r\n\r\n").fields().stream().map(HeaderField::raw).toList());
    }

    @Test
    void splitterFindsTheBodyInEverySplit() {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        int bodyStart = MESSAGE.indexOf("body");
        for (int cut = 0; cut <= bytes.length; cut++) {
            HeaderSplitter s = new HeaderSplitter(1 << 16);
            int first = s.offer(bytes, 0, cut);
            int second = s.done() ? 0 : s.offer(bytes, cut, bytes.length - cut);
            assertTrue(s.done(), "cut " + cut);
            assertEquals(bodyStart, first + second, "cut " + cut);
            assertEquals(3, s.fields().size());
        }
    }

    @Test
    void splitterKeepsOnlyTheBoundAndDropsTheCutField() {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        HeaderSplitter s = new HeaderSplitter(30);
        assertEquals(MESSAGE.indexOf("body"), s.offer(bytes, 0, bytes.length));
        assertTrue(s.overflowed());
        assertEquals(List.of("From: a@example.com"), s.fields().stream().map(HeaderField::raw).toList());
        assertFalse(new HeaderSplitter(100).overflowed());
    }

    private static MessageHeaders parse(String s) {
        return MessageHeaders.parse(s.getBytes(StandardCharsets.US_ASCII));
    }
}
