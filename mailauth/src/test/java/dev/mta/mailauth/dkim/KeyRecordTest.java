package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing key records (RFC 6376 3.6.1, RFC 8463 4). */
class KeyRecordTest {
    @Test
    void rsaByDefaultWithItsRestrictions() throws DkimSyntaxException {
        KeyRecord k = KeyRecord.parse(Rfc8463Vectors.RSA_RECORD.replace("k=rsa; ", "") + "; h=sha256; s=email; t=y:s");
        assertEquals("rsa", k.keyType());
        assertEquals(1024, k.key().bits());
        assertTrue(k.allows(DkimAlgorithm.RSA_SHA256));
        assertFalse(k.allows(DkimAlgorithm.RSA_SHA1));
        assertTrue(k.forEmail());
        assertTrue(k.testing());
        assertTrue(k.strict());
    }

    @Test
    void ed25519AndDefaults() throws DkimSyntaxException {
        KeyRecord k = KeyRecord.parse(Rfc8463Vectors.ED25519_RECORD);
        assertEquals("ed25519", k.keyType());
        assertEquals(256, k.key().bits());
        assertTrue(k.allows(DkimAlgorithm.ED25519_SHA256));
        assertTrue(k.forEmail());
        assertFalse(k.testing());
        assertFalse(k.strict());
    }

    @Test
    void emptyPIsRevoked() throws DkimSyntaxException {
        assertTrue(KeyRecord.parse("v=DKIM1; p=").revoked());
        assertTrue(KeyRecord.parse("v=DKIM1; k=ed25519; p= ;").revoked());
    }

    @Test
    void serviceTypesOtherThanEmail() throws DkimSyntaxException {
        assertFalse(KeyRecord.parse("s=tlsrpt; p=").forEmail());
        assertTrue(KeyRecord.parse("s=tlsrpt:*; p=").forEmail());
    }

    @Test
    void pkcs1RsaKeysAreAcceptedToo() throws Exception {
        // Some publish the bare RSAPublicKey; dkimpy and OpenDKIM accept it, so do we.
        byte[] spki = java.util.Base64.getDecoder().decode(Rfc8463Vectors.RSA_RECORD.substring(
                Rfc8463Vectors.RSA_RECORD.indexOf("p=") + 2));
        byte[] pkcs1 = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes();
        KeyRecord k = KeyRecord.parse("p=" + java.util.Base64.getEncoder().encodeToString(pkcs1));
        assertEquals(1024, k.key().bits());
    }

    @Test
    void malformedRecords() {
        for (String bad : List.of("v=DKIM2; p=", "k=dsa; p=", "v=DKIM1; k=rsa", "p=AAAA!", "p=AAAA",
                "k=ed25519; p=AAAA", "p=;p=", "v=DKIM1 p=", "garbage")) {
            assertThrows(DkimSyntaxException.class, () -> KeyRecord.parse(bad), bad);
        }
    }
}
