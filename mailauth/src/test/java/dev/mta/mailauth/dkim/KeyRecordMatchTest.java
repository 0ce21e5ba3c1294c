package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static dev.mta.mailauth.dkim.KeyRecordMatch.Kind.KEY_DIFFERS;
import static dev.mta.mailauth.dkim.KeyRecordMatch.Kind.MALFORMED;
import static dev.mta.mailauth.dkim.KeyRecordMatch.Kind.MATCHES;
import static dev.mta.mailauth.dkim.KeyRecordMatch.Kind.RESTRICTED;
import static dev.mta.mailauth.dkim.KeyRecordMatch.Kind.REVOKED;
import static dev.mta.mailauth.dkim.KeyRecordMatch.Kind.TYPE_DIFFERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A signing key against the records an operator might have published: each answer, and the words for it. */
class KeyRecordMatchTest {
    private static final DkimSigningKey RSA = TestMessages.RSA;
    private static final DkimSigningKey ED25519 = TestMessages.ED25519;

    private static KeyRecordMatch match(DkimSigningKey key, String record) {
        return KeyRecordMatch.of(key, record);
    }

    @Test
    void itsOwnRecordMatchesAsPublishedOrReformatted() {
        for (DkimSigningKey key : new DkimSigningKey[] {RSA, ED25519}) {
            assertEquals(new KeyRecordMatch(MATCHES, ""), match(key, key.dnsRecord()));
            assertTrue(match(key, key.dnsRecord()).matches());
        }
        // Folded p=, no v=, restrictions that allow it, a trailing ";": still the same key.
        String p = RSA.dnsRecord().substring(RSA.dnsRecord().indexOf("p=") + 2);
        String folded = "k=rsa; h=sha1:sha256; s=email; p=" + p.substring(0, 100) + " \t" + p.substring(100) + ";";
        assertTrue(match(RSA, folded).matches(), match(RSA, folded).toString());
        assertTrue(match(RSA, "p=" + p).matches(), "k= absent means rsa");
        assertEquals(new KeyRecordMatch(MATCHES, "t=y: verifiers treat it as a test"),
                match(ED25519, ED25519.dnsRecord() + "; t=y"));
    }

    @Test
    void rsaKeyPublishedAsPkcs1StillMatches() throws Exception {
        // Some publish the bare RSAPublicKey; our verifier and others accept it, so the check does too.
        byte[] spki = Base64.getDecoder().decode(RSA.dnsRecord().substring(RSA.dnsRecord().indexOf("p=") + 2));
        byte[] pkcs1 = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes();
        assertTrue(match(RSA, "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pkcs1)).matches());
    }

    @Test
    void anotherKeyOfTheSameType() {
        assertEquals(new KeyRecordMatch(KEY_DIFFERS, "p= is another rsa key of 1024 bits"),
                match(RSA, Rfc8463Vectors.RSA_RECORD));
        assertEquals(new KeyRecordMatch(KEY_DIFFERS, "p= is another ed25519 key"),
                match(ED25519, Rfc8463Vectors.ED25519_RECORD));
    }

    @Test
    void keyTypeDiffers() {
        assertEquals(new KeyRecordMatch(TYPE_DIFFERS, "k=ed25519 in the record, the key is rsa"),
                match(RSA, ED25519.dnsRecord()));
        assertEquals(new KeyRecordMatch(TYPE_DIFFERS, "k=rsa in the record, the key is ed25519"),
                match(ED25519, RSA.dnsRecord()));
        // The usual slip: an Ed25519 key published without k=, which then reads as a broken RSA key.
        assertEquals(new KeyRecordMatch(TYPE_DIFFERS, "no k= (so rsa) in the record, the key is ed25519"),
                match(ED25519, ED25519.dnsRecord().replace("k=ed25519; ", "")));
        assertEquals(TYPE_DIFFERS, match(RSA, "v=DKIM1; k=dsa; p=AAAA").kind(), "a type nobody knows");
    }

    @Test
    void revoked() {
        assertEquals(new KeyRecordMatch(REVOKED, "p= is empty"), match(RSA, "v=DKIM1; k=rsa; p="));
        assertEquals(REVOKED, match(ED25519, "v=DKIM1; k=ed25519; p= ;").kind());
    }

    @Test
    void restricted() {
        assertEquals(new KeyRecordMatch(RESTRICTED, "h= does not allow sha256"), match(RSA, RSA.dnsRecord() + "; h=sha1"));
        assertEquals(new KeyRecordMatch(RESTRICTED, "s= does not include email"),
                match(ED25519, ED25519.dnsRecord() + "; s=tlsrpt"));
    }

    @Test
    void malformed() {
        assertEquals(new KeyRecordMatch(MALFORMED, "key record v= is not DKIM1"),
                match(ED25519, "v=DKIM2; k=rsa; p=" + "AAAA"));
        assertEquals(new KeyRecordMatch(MALFORMED, "key record has no p="), match(RSA, "v=DKIM1; k=rsa"));
        assertEquals(new KeyRecordMatch(MALFORMED, "key record p= is not base64"), match(RSA, "v=DKIM1; p=!!"));
        assertEquals(new KeyRecordMatch(MALFORMED, "p= is not an RSA public key"), match(RSA, "v=DKIM1; p=AAAA"));
        assertEquals(MALFORMED, match(RSA, "v=spf1 -all").kind(), "another kind of TXT record");
        assertFalse(match(RSA, "").matches());
    }
}
