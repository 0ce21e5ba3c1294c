package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Body canonicalization (RFC 6376 3.4.3-3.4.5) and the body hash, whole and in every split. */
class BodyHasherTest {
    /** RFC 6376 3.4.5's example body. */
    private static final String EXAMPLE = " C \r\nD \t E\r\n\r\n\r\n";

    @Test
    void rfc6376ExampleSimple() {
        assertEquals(" C \r\nD \t E\r\n", canonical(Canonicalization.SIMPLE, EXAMPLE));
    }

    @Test
    void rfc6376ExampleRelaxed() {
        assertEquals(" C\r\nD E\r\n", canonical(Canonicalization.RELAXED, EXAMPLE));
    }

    @Test
    void emptyBodyIsCrlfInSimpleAndNothingInRelaxed() {
        assertEquals("\r\n", canonical(Canonicalization.SIMPLE, ""));
        assertEquals("", canonical(Canonicalization.RELAXED, ""));
        // The well-known hashes every implementation agrees on.
        assertEquals("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=", bh(Canonicalization.SIMPLE, ""));
        assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", bh(Canonicalization.RELAXED, ""));
    }

    @Test
    void bodyOfOnlyEmptyLinesIsAnEmptyBody() {
        assertEquals("\r\n", canonical(Canonicalization.SIMPLE, "\r\n\r\n\r\n"));
        assertEquals("", canonical(Canonicalization.RELAXED, "\r\n \r\n\t\r\n"));
        // Lines of WSP are content in simple, so the empty line before them is kept.
        assertEquals("\r\n \r\n\t\r\n", canonical(Canonicalization.SIMPLE, "\r\n \r\n\t\r\n\r\n"));
    }

    @Test
    void trailingEmptyLinesGoButInnerOnesStay() {
        assertEquals("a\r\n\r\n\r\nb\r\n", canonical(Canonicalization.SIMPLE, "a\r\n\r\n\r\nb\r\n\r\n\r\n"));
        assertEquals("a\r\n\r\n\r\nb\r\n", canonical(Canonicalization.RELAXED, "a\r\n  \r\n\r\nb \r\n \r\n\r\n"));
    }

    @Test
    void lastLineWithoutCrlfGetsOne() {
        assertEquals("abc\r\n", canonical(Canonicalization.SIMPLE, "abc"));
        // WSP at the end of a last line without CRLF goes too (dkimpy keeps it; RFC 6376 3.4.4 says it goes).
        assertEquals("abc\r\n", canonical(Canonicalization.RELAXED, "abc  \t"));
        assertEquals("x\r\n", canonical(Canonicalization.RELAXED, "x\r\n   ")); // a last line of WSP is empty
    }

    @Test
    void relaxedKeepsOneLeadingSpaceAndCollapsesRuns() {
        assertEquals(" a b c\r\n", canonical(Canonicalization.RELAXED, "\t\ta  \t b\tc\t\r\n"));
    }

    @Test
    void loneCrAndLfAreContent() {
        assertEquals("a\rb\r\nc\nd\r\n", canonical(Canonicalization.SIMPLE, "a\rb\r\nc\nd\r\n"));
        assertEquals("a\rb\r\n", canonical(Canonicalization.SIMPLE, "a\rb"));
        assertEquals("a\r\r\n", canonical(Canonicalization.SIMPLE, "a\r"));
        assertEquals("a \r\r\n", canonical(Canonicalization.RELAXED, "a \r\r\n"));
    }

    @Test
    void eightBitOctetsPassUnchanged() {
        byte[] body = "Grüße, ça va?\r\n".getBytes(StandardCharsets.UTF_8);
        for (Canonicalization c : Canonicalization.values()) {
            BodyHasher h = new BodyHasher(c, DkimAlgorithm.RSA_SHA256);
            h.update(body, 0, body.length);
            assertArrayEquals(sha256(body), h.finish());
        }
    }

    @Test
    void everySplitHashesAlike() {
        String body = " C \r\nD \t E\r\n\r\nline\twith  tabs \r\n\r\n \r\nlast\r\n\r\n\r\n";
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        for (Canonicalization c : Canonicalization.values()) {
            byte[] whole = hash(c, bytes, bytes.length);
            for (int i = 0; i <= bytes.length; i++) {
                for (int j = i; j <= bytes.length; j++) {
                    BodyHasher h = new BodyHasher(c, DkimAlgorithm.RSA_SHA256);
                    h.update(bytes, 0, i);
                    h.update(bytes, i, j - i);
                    h.update(bytes, j, bytes.length - j);
                    assertArrayEquals(whole, h.finish(), c + " split at " + i + "," + j);
                }
            }
            assertArrayEquals(whole, hash(c, bytes, 1), c + " one octet at a time");
        }
    }

    @Test
    void longBodiesCrossTheOutputBuffer() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            b.append("line ").append(i).append("  with   spaces\t\r\n");
            if (i % 7 == 0) {
                b.append("\r\n");
            }
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
        String relaxed = b.toString().replaceAll("[ \t]+\r\n", "\r\n").replaceAll("[ \t]+", " ");
        assertArrayEquals(sha256(relaxed.getBytes(StandardCharsets.US_ASCII)),
                hash(Canonicalization.RELAXED, bytes, 1000));
        assertArrayEquals(sha256(bytes), hash(Canonicalization.SIMPLE, bytes, 999));
    }

    @Test
    void limitHashesOnlyThePrefixAndCountsTheWhole() {
        byte[] bytes = "hello world\r\nmore\r\n".getBytes(StandardCharsets.US_ASCII);
        BodyHasher h = new BodyHasher(Canonicalization.SIMPLE, DkimAlgorithm.RSA_SHA256, 5);
        h.update(bytes, 0, bytes.length);
        assertArrayEquals(sha256("hello".getBytes(StandardCharsets.US_ASCII)), h.finish());
        assertEquals(bytes.length, h.canonicalLength());
        BodyHasher zero = new BodyHasher(Canonicalization.RELAXED, DkimAlgorithm.RSA_SHA256, 0);
        zero.update(bytes, 0, bytes.length);
        assertArrayEquals(sha256(new byte[0]), zero.finish());
    }

    @Test
    void rsaSha1HashesWithSha1() throws Exception {
        BodyHasher h = new BodyHasher(Canonicalization.SIMPLE, DkimAlgorithm.RSA_SHA1);
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest("\r\n".getBytes(StandardCharsets.US_ASCII)),
                h.finish());
    }

    @Test
    void directBuffersAndFinishTwice() {
        byte[] bytes = EXAMPLE.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        BodyHasher h = new BodyHasher(Canonicalization.RELAXED, DkimAlgorithm.RSA_SHA256);
        h.update(direct);
        assertEquals(0, direct.remaining());
        byte[] first = h.finish();
        assertArrayEquals(hash(Canonicalization.RELAXED, bytes, bytes.length), first);
        assertArrayEquals(first, h.finish());
    }

    /** The canonical body, caught from the canonicalizer. */
    static String canonical(Canonicalization c, String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyCanonicalizer k = new BodyCanonicalizer(c, out::write);
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        k.update(bytes, 0, bytes.length);
        k.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String bh(Canonicalization c, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        return Base64.getEncoder().encodeToString(hash(c, bytes, Math.max(1, bytes.length)));
    }

    private static byte[] hash(Canonicalization c, byte[] bytes, int chunk) {
        BodyHasher h = new BodyHasher(c, DkimAlgorithm.RSA_SHA256);
        for (int i = 0; i < bytes.length; i += chunk) {
            h.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return h.finish();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
