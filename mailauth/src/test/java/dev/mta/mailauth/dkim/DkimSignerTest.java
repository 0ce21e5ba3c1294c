package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static dev.mta.mailauth.dkim.TestMessages.MESSAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What our signatures look like (RFC 6376 5, the product's choices), and that our verifier passes them. */
class DkimSignerTest {
    @Test
    void tagsAreThoseTheProductWants() {
        String field = new DkimSigner(TestMessages.RSA, "example.com", "sel", TestMessages.CLOCK)
                .sign(TestMessages.bytes(MESSAGE));
        assertTrue(field.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;"),
                field);
        assertTrue(field.endsWith("\r\n"));
        DkimSignature s = (DkimSignature) SignatureParser.parse(HeaderField.of(field.substring(0, field.length() - 2)));
        assertEquals(TestMessages.NOW, s.timestamp());
        assertEquals(-1, s.bodyLength());
        assertEquals(-1, s.expiration());
        assertFalse(field.contains(" l="));
        assertEquals(Canonicalization.RELAXED, s.headerCanonicalization());
        assertEquals(Canonicalization.RELAXED, s.bodyCanonicalization());
    }

    @Test
    void everyListedFieldIsSignedOnceMoreThanItOccurs() {
        List<HeaderField> headers = MessageHeaders.parse(TestMessages.bytes(MESSAGE)).fields();
        List<String> h = DkimSigner.signedNames(headers);
        assertEquals(2, Collections.frequency(h, "From"));
        assertEquals(2, Collections.frequency(h, "To"));
        assertEquals(1, Collections.frequency(h, "Cc"));
        assertEquals(2, Collections.frequency(h, "Subject"));
        assertEquals(1, Collections.frequency(h, "Reply-To"));
        assertEquals(2, Collections.frequency(h, "Content-Transfer-Encoding"));
        assertFalse(h.contains("Received"));
        List<HeaderField> twoTo = MessageHeaders.parse(TestMessages.bytes("From: a\r\nTo: b\r\nto: c\r\n\r\n"))
                .fields();
        assertEquals(3, Collections.frequency(DkimSigner.signedNames(twoTo), "To"));
    }

    @Test
    void linesStayWithin78Characters() {
        String field = new DkimSigner(TestMessages.RSA, "mail.example-domain.com", "selector2025", TestMessages.CLOCK)
                .sign(TestMessages.bytes(MESSAGE));
        for (String line : field.split("\r\n")) {
            assertTrue(line.length() <= SignatureLayout.MAX_LINE, line.length() + ": " + line);
        }
        assertTrue(field.split("\r\n").length > 5, "folded");
    }

    @Test
    void ourVerifierPassesRsaAndEd25519() {
        for (DkimSigningKey key : List.of(TestMessages.RSA, TestMessages.ED25519)) {
            DkimResult r = TestMessages.only(TestMessages.dnsFor(key, "sel"), TestMessages.signed(MESSAGE, key, "sel"));
            assertEquals(AuthResult.PASS, r.result(), r.reason());
            assertEquals(key.algorithm().tag(), r.algorithm());
            assertEquals(key.bits(), r.keyBits());
        }
    }

    @Test
    void emptyBodyAndNoBody() {
        for (String message : List.of("From: a@example.com\r\n\r\n", "From: a@example.com\r\n",
                "From: a@example.com\r\n\r\n\r\n\r\n")) {
            FixtureDns dns = TestMessages.dnsFor(TestMessages.ED25519, "sel");
            DkimResult r = TestMessages.only(dns, TestMessages.signed(message, TestMessages.ED25519, "sel"));
            assertEquals(AuthResult.PASS, r.result(), message);
        }
    }

    @Test
    void oversigningStopsAddedFields() {
        String signed = TestMessages.signed(MESSAGE, TestMessages.RSA, "sel");
        FixtureDns dns = TestMessages.dnsFor(TestMessages.RSA, "sel");
        for (String added : List.of("Cc: eve@example.org", "To: eve@example.org", "Reply-To: eve@example.org",
                "Subject: other")) {
            String tampered = signed.replace("\r\nMessage-ID: <", "\r\n" + added + "\r\nMessage-ID: <");
            assertEquals(AuthResult.FAIL, TestMessages.only(dns, tampered).result(), added);
        }
        String unsignedAdded = signed.replace("\r\nMessage-ID: <", "\r\nX-Mailer: any\r\nMessage-ID: <");
        assertEquals(AuthResult.PASS, TestMessages.only(dns, unsignedAdded).result());
    }

    @Test
    void streamingAndWholeMessageSignAlike() {
        DkimSigner signer = new DkimSigner(TestMessages.ED25519, "example.com", "sel", TestMessages.CLOCK);
        byte[] m = TestMessages.bytes(MESSAGE);
        MessageHeaders parsed = MessageHeaders.parse(m);
        BodyHasher body = signer.bodyHasher();
        for (int i = parsed.bodyStart(); i < m.length; i += 3) {
            body.update(m, i, Math.min(3, m.length - i));
        }
        assertEquals(signer.sign(m), signer.sign(parsed.fields(), body.finish()));
    }

    @Test
    void refusesWhatRfc8301Forbids() {
        DkimSigningKey small = DkimSigningKey.generateRsa(512);
        assertThrows(IllegalArgumentException.class, () -> new DkimSigner(small, "example.com", "sel"));
        assertThrows(IllegalArgumentException.class, () -> new DkimSigner(TestMessages.RSA, "exa mple.com", "sel"));
        assertThrows(IllegalArgumentException.class, () -> new DkimSigner(TestMessages.RSA, "example.com", "s;l"));
    }
}
