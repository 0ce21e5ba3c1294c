package dev.mta.server.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dovecot's encodings, checked against hashes Dovecot made. */
class PasswordHashTest {
    /** Dovecot's own test vectors (src/auth/test-password-scheme.c in dovecot/core), password "test". */
    static final String DOVECOT_ARGON2ID = "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$vBb99oJ12p3WAdYlaMHz1A"
            + "$jtFOtbo/sYV9OSlTxDo/nVNq3uArHd5GJSEx0ty85Cc";
    static final String DOVECOT_BLF_CRYPT = "{BLF-CRYPT}$2y$05$11ipvo5dR6CwkzwmhwM26OXgzXwhV2PyPuLV.Qi31ILcRcThQpEiW";
    /** Made by doveadm pw for "test123" (PostfixAdmin's tests). */
    static final String DOVEADM_BLF_CRYPT_TEST123 = "{BLF-CRYPT}$2y$05$cEEZv2h/NtLXII.emi2TP.rMZyB7VRSkyToXWBqqz6cXDoyay166q";

    @Test
    void dovecotArgon2idVector() {
        PasswordHash h = PasswordHash.parse(DOVECOT_ARGON2ID);
        assertInstanceOf(PasswordHash.Argon2id.class, h);
        assertTrue(h.matches("test".toCharArray()));
        assertFalse(h.matches("Test".toCharArray()));
        assertFalse(h.matches("test ".toCharArray()));
        assertEquals(DOVECOT_ARGON2ID, h.encoded(), "written back exactly as read");
    }

    @Test
    void dovecotBlfCryptVectors() {
        PasswordHash h = PasswordHash.parse(DOVECOT_BLF_CRYPT);
        assertTrue(h.matches("test".toCharArray()));
        assertFalse(h.matches("tesT".toCharArray()));
        assertEquals(DOVECOT_BLF_CRYPT, h.encoded());
        PasswordHash h2 = PasswordHash.parse(DOVEADM_BLF_CRYPT_TEST123);
        assertTrue(h2.matches("test123".toCharArray()));
        assertFalse(h2.matches("test".toCharArray()));
    }

    @Test
    void createdHashesHaveDovecotsShapeAndVerify() {
        char[] pw = "pässwörd €".toCharArray();
        String a = PasswordHash.create("ARGON2ID", pw).encoded();
        assertTrue(a.matches("\\{ARGON2ID}\\$argon2id\\$v=19\\$m=65536,t=3,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), a);
        assertTrue(PasswordHash.parse(a).matches(pw));
        assertFalse(PasswordHash.parse(a).matches("password".toCharArray()));
        String b = PasswordHash.create("blf-crypt", pw).encoded();
        assertTrue(b.matches("\\{BLF-CRYPT}\\$2y\\$05\\$[./A-Za-z0-9]{53}"), b);
        assertTrue(PasswordHash.parse(b).matches(pw));
        assertFalse(PasswordHash.parse(b).matches("x".toCharArray()));
    }

    @Test
    void badFieldsAreRefusedSayingWhy() {
        assertEquals("unsupported password scheme {SHA512-CRYPT} (ARGON2ID and BLF-CRYPT are)",
                assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("{SHA512-CRYPT}$6$x$y")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("plain"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("{ARGON2ID}$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("{ARGON2ID}$argon2id$v=16$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("{BLF-CRYPT}$2y$03$11ipvo5dR6CwkzwmhwM26OXgzXwhV2PyPuLV.Qi31ILcRcThQpEiW"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("{BLF-CRYPT}$2y$05$short"));
    }

    @Test
    void dummyHashesHaveTheSameCostAndMatchNothingKnown() {
        PasswordHash.Argon2id a = (PasswordHash.Argon2id) PasswordHash.parse(DOVECOT_ARGON2ID);
        PasswordHash.Argon2id d = (PasswordHash.Argon2id) PasswordHash.dummyLike(a);
        assertEquals(a.toString(), d.toString());
        assertFalse(d.matches("test".toCharArray()));
        PasswordHash b = PasswordHash.dummyLike(PasswordHash.parse(DOVECOT_BLF_CRYPT));
        assertEquals("BlfCrypt(cost=5)", b.toString());
        assertFalse(b.matches("test".toCharArray()));
    }

    @Test
    void bcryptUsesTheFirst72BytesAsDovecotDoes() {
        char[] long1 = ("a".repeat(72) + "one").toCharArray();
        char[] long2 = ("a".repeat(72) + "two").toCharArray();
        PasswordHash b = PasswordHash.create("BLF-CRYPT", long1);
        assertTrue(b.matches(long1));
        assertTrue(b.matches(long2), "bcrypt itself ignores bytes past 72");
        PasswordHash a = PasswordHash.Argon2id.create(long1, 64, 1, 1);
        assertTrue(a.matches(long1));
        assertFalse(a.matches(long2), "Argon2id does not");
    }
}
