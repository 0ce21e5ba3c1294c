package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Header canonicalization (RFC 6376 3.4.1, 3.4.2, the example of 3.4.5) and the header selection of 5.4.2. */
class HeaderCanonicalizerTest {
    private static final String EXAMPLE = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n";

    @Test
    void rfc6376ExampleRelaxed() {
        assertEquals("a:X\r\nb:Y Z\r\n", canonical(Canonicalization.RELAXED));
    }

    @Test
    void rfc6376ExampleSimple() {
        assertEquals("A: X\r\nB : Y\t\r\n\tZ  \r\n", canonical(Canonicalization.SIMPLE));
    }

    @Test
    void relaxedKeepsEightBitOctetsAndTheirCase() {
        HeaderField f = HeaderField.ofUtf8("SUBJECT:  Grüße   À\t ");
        StringBuilder out = new StringBuilder();
        HeaderCanonicalizer.append(out, f.raw(), Canonicalization.RELAXED);
        assertEquals("subject:Grüße À\r\n",
                new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    @Test
    void relaxedEmptyValue() {
        StringBuilder out = new StringBuilder();
        HeaderCanonicalizer.append(out, "X-Empty: \r\n \t", Canonicalization.RELAXED);
        assertEquals("x-empty:\r\n", out.toString());
    }

    @Test
    void selectionTakesInstancesFromTheBottomAndMissingOnesGiveNothing() {
        List<HeaderField> headers = List.of(HeaderField.of("Received: top"), HeaderField.of("From: a@b"),
                HeaderField.of("Received: bottom"));
        String got = new String(SigningInput.of(headers, List.of("received", "From", "RECEIVED", "received", "to"),
                Canonicalization.RELAXED, "DKIM-Signature: b="), StandardCharsets.ISO_8859_1);
        assertEquals("received:bottom\r\nfrom:a@b\r\nreceived:top\r\ndkim-signature:b=", got);
    }

    private static String canonical(Canonicalization c) {
        byte[] bytes = EXAMPLE.getBytes(StandardCharsets.US_ASCII);
        StringBuilder out = new StringBuilder();
        for (HeaderField f : MessageHeaders.parse(bytes).fields()) {
            HeaderCanonicalizer.append(out, f.raw(), c);
        }
        return out.toString();
    }
}
