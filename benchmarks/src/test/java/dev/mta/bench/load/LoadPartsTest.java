package dev.mta.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator's pure parts: sizes, content, dot-stuffing, AUTH PLAIN. */
class LoadPartsTest {
    @Test
    void sizeDistributionParsesAndDrawsByWeight() {
        SizeDistribution d = SizeDistribution.parse("1k:60,10k:30,100k:10");
        assertArrayEquals(new int[] {1024, 10240, 102400}, d.sizes());
        int[] counts = new int[3];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            counts[d.pick(r)]++;
        }
        assertTrue(Math.abs(counts[0] - 6000) < 400 && Math.abs(counts[2] - 1000) < 250, java.util.Arrays.toString(counts));
        assertArrayEquals(new int[] {10240}, SizeDistribution.parse("10240").sizes());
        assertEquals("1024:60,10240:30,102400:10", d.toString());
        assertThrows(IllegalArgumentException.class, () -> SizeDistribution.parse("1k:0"));
        assertThrows(IllegalArgumentException.class, () -> SizeDistribution.parse("0"));
    }

    @Test
    void bodyIsCrlfLinesOfTheExactSize() {
        for (int n = 2; n < 400; n++) {
            byte[] b = MessageContent.plainBody(n);
            assertEquals(n, b.length);
            String s = new String(b, StandardCharsets.US_ASCII);
            assertTrue(s.endsWith("\r\n"));
            assertEquals(s.replace("\r\n", "").indexOf('\r'), -1, "bare CR at " + n);
            assertEquals(s.replace("\r\n", "").indexOf('\n'), -1, "bare LF at " + n);
        }
    }

    @Test
    void dotStuffingDoublesLeadingDotsOnly() {
        byte[] in = ".a\r\nb.c\r\n..\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("..a\r\nb.c\r\n...\r\n..\r\n", new String(DotStuffing.stuff(in), StandardCharsets.US_ASCII));
        assertFalse(new String(DotStuffing.stuff(MessageContent.plainBody(4000)), StandardCharsets.US_ASCII)
                .contains("\r\n.\r\n"));
    }

    @Test
    void authPlainIsBase64OfNulUserNulPassword() {
        assertEquals("AHUAcDpx", LoadSession.plain("u:p:q"));
    }
}
