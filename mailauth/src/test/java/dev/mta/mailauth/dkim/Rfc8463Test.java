package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 8463 Appendix A: with its keys and tags our signer writes both b= values byte for byte, our body hasher its
 * bh=, our key loading its two records, and our verifier passes both signatures of its message.
 */
class Rfc8463Test {
    private static final List<String> H = List.of("from", "to", "subject", "date", "message-id", "from", "subject",
            "date");

    @Test
    void signerReproducesTheEd25519Signature() throws Exception {
        assertEquals(Rfc8463Vectors.ED25519_B, b(seal(ed25519(), "brisbane")));
    }

    @Test
    void signerReproducesTheRsaSignature() throws Exception {
        DkimSigningKey key = DkimSigningKey.fromPem(Rfc8463Vectors.RSA_SECRET);
        assertEquals(Rfc8463Vectors.RSA_B, b(seal(key, "test")));
    }

    @Test
    void keysGiveTheRecords() throws Exception {
        assertEquals(Rfc8463Vectors.ED25519_RECORD, ed25519().dnsRecord());
        assertEquals(Rfc8463Vectors.RSA_RECORD, DkimSigningKey.fromPem(Rfc8463Vectors.RSA_SECRET).dnsRecord());
    }

    @Test
    void bodyHashIsTheRfcs() {
        byte[] body = Rfc8463Vectors.BODY.getBytes(StandardCharsets.US_ASCII);
        BodyHasher h = new BodyHasher(Canonicalization.RELAXED, DkimAlgorithm.ED25519_SHA256);
        h.update(body, 0, body.length);
        assertEquals(Rfc8463Vectors.BODY_HASH, Base64.getEncoder().encodeToString(h.finish()));
    }

    @Test
    void verifierPassesBoth() {
        FixtureDns dns = new FixtureDns()
                .txt("brisbane._domainkey.football.example.com", Rfc8463Vectors.ED25519_RECORD)
                .txt("test._domainkey.football.example.com", Rfc8463Vectors.RSA_RECORD);
        Clock clock = Clock.fixed(Instant.ofEpochSecond(Rfc8463Vectors.TIMESTAMP + 60), ZoneOffset.UTC);
        DkimResults r = new DkimVerifier(dns, Runnable::run, clock, 5).verify(Rfc8463Vectors.signedBytes())
                .toCompletableFuture().join();
        assertEquals(2, r.results().size());
        DkimResult ed = r.results().get(0);
        DkimResult rsa = r.results().get(1);
        assertEquals(AuthResult.PASS, ed.result(), ed.reason());
        assertEquals(AuthResult.PASS, rsa.result(), rsa.reason());
        assertEquals("ed25519-sha256", ed.algorithm());
        assertEquals("brisbane", ed.selector());
        assertEquals("football.example.com", ed.domain());
        assertEquals("/gCrinpc", ed.headerB());
        assertEquals(256, ed.keyBits());
        assertEquals("rsa-sha256", rsa.algorithm());
        assertEquals("F45dVWDf", rsa.headerB());
        assertEquals(1024, rsa.keyBits());
    }

    private static DkimSigningKey ed25519() throws Exception {
        return DkimSigningKey.fromEd25519Secret(Base64.getDecoder().decode(Rfc8463Vectors.ED25519_SECRET));
    }

    /** The field our signer completes from A.3's tags, in A.3's order, over A.3's header fields. */
    private static String seal(DkimSigningKey key, String selector) {
        List<SignatureLayout.Tag> tags = List.of(
                new SignatureLayout.Tag("v", "1"),
                new SignatureLayout.Tag("a", key.algorithm().tag()),
                new SignatureLayout.Tag("c", "relaxed/relaxed"),
                new SignatureLayout.Tag("d", "football.example.com"),
                new SignatureLayout.Tag("i", "@football.example.com"),
                new SignatureLayout.Tag("q", "dns/txt"),
                new SignatureLayout.Tag("s", selector),
                new SignatureLayout.Tag("t", Long.toString(Rfc8463Vectors.TIMESTAMP)),
                new SignatureLayout.Tag("h", String.join(" : ", H)),
                new SignatureLayout.Tag("bh", Rfc8463Vectors.BODY_HASH));
        byte[] header = (Rfc8463Vectors.HEADER + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return DkimSigner.seal(key, MessageHeaders.parse(header).fields(), H, Canonicalization.RELAXED,
                SignatureLayout.unsigned(tags));
    }

    private static String b(String field) {
        return TagList.withoutFws(field.substring(field.indexOf(" b=") + 3));
    }
}
