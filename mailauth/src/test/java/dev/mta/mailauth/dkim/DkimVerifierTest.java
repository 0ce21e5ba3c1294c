package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mta.mailauth.dkim.TestMessages.ED25519;
import static dev.mta.mailauth.dkim.TestMessages.MESSAGE;
import static dev.mta.mailauth.dkim.TestMessages.NOW;
import static dev.mta.mailauth.dkim.TestMessages.RSA;
import static dev.mta.mailauth.dkim.TestMessages.only;
import static dev.mta.mailauth.dkim.TestMessages.signedWithTags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verdicts on signatures whose key records and contents vary (RFC 6376 6, RFC 8301, RFC 8601 2.7.1). */
class DkimVerifierTest {
    private static final String KEY = "sel._domainkey.example.com";

    @Test
    void unsignedMessageHasNoResults() {
        DkimResults r = TestMessages.verify(new FixtureDns(), MESSAGE);
        assertTrue(r.results().isEmpty());
        assertFalse(r.signed());
    }

    @Test
    void alteredBodyOrSignedHeaderFails() {
        String signed = TestMessages.signed(MESSAGE, RSA, "sel");
        FixtureDns dns = TestMessages.dnsFor(RSA, "sel");
        DkimResult body = only(dns, signed.replace("indented line", "indented lime"));
        assertEquals(AuthResult.FAIL, body.result());
        assertEquals("body hash did not verify", body.reason());
        DkimResult header = only(dns, signed.replace("Subject: =?utf-8?q?", "Subject: =?UTF-8?q?"));
        assertEquals(AuthResult.FAIL, header.result());
        assertEquals("signature did not verify", header.reason());
        // Relaxed canonicalization forgives what it should: re-folding, WSP, trailing empty lines.
        String refolded = signed.replace("Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=  and", "Subject:\r\n\t =?utf-8?q?Gr"
                + "=C3=BC=C3=9Fe?= and").replace("\r\n\r\n  indented", "\r\n\r\n \t indented") + "\r\n\r\n";
        assertEquals(AuthResult.PASS, only(dns, refolded).result());
    }

    @Test
    void keyRecordProblemsArePermerrors() {
        String rsaSigned = TestMessages.signed(MESSAGE, RSA, "sel");
        assertPermerror(new FixtureDns(), rsaSigned, "no key record");
        assertPermerror(new FixtureDns().a(KEY, "192.0.2.1"), rsaSigned, "no key record"); // NODATA
        assertPermerror(new FixtureDns().tooBig(KEY), rsaSigned, "key record answer too big");
        assertPermerror(new FixtureDns().txt(KEY, "v=DKIM1; p="), rsaSigned, "key revoked");
        assertPermerror(new FixtureDns().txt(KEY, "v=DKIM1; k=rsa; p=!!!"), rsaSigned, "bad key record");
        assertPermerror(new FixtureDns().txt(KEY, ED25519.dnsRecord()), rsaSigned, "key type ed25519 does not match");
        assertPermerror(new FixtureDns().txt(KEY, RSA.dnsRecord() + "; h=sha1"), rsaSigned, "does not allow sha256");
        assertPermerror(new FixtureDns().txt(KEY, RSA.dnsRecord() + "; s=tlsrpt"), rsaSigned, "not for email");
        String subdomainIdentity = signedWithTags(MESSAGE, RSA, DkimAlgorithm.RSA_SHA256, "d=example.com",
                "i=joe@mail.example.com", "s=sel");
        assertEquals(AuthResult.PASS, only(TestMessages.dnsFor(RSA, "sel"), subdomainIdentity).result());
        assertPermerror(new FixtureDns().txt(KEY, RSA.dnsRecord() + "; t=s"), subdomainIdentity, "t=s");
    }

    @Test
    void lookupFailureIsTemperror() {
        DkimResult r = only(new FixtureDns().tempfail(KEY), TestMessages.signed(MESSAGE, ED25519, "sel"));
        assertEquals(AuthResult.TEMPERROR, r.result());
        assertEquals("key lookup failed for now", r.reason());
    }

    @Test
    void firstUsableRecordOfSeveralIsTaken() {
        FixtureDns dns = new FixtureDns().txt(KEY, "google-site-verification=abc", ED25519.dnsRecord());
        assertEquals(AuthResult.PASS, only(dns, TestMessages.signed(MESSAGE, ED25519, "sel")).result());
    }

    @Test
    void rsaSha1FailsWithoutALookup() {
        FixtureDns dns = TestMessages.dnsFor(RSA, "sel");
        DkimResult r = only(dns, signedWithTags(MESSAGE, RSA, DkimAlgorithm.RSA_SHA1, "d=example.com", "s=sel"));
        assertEquals(AuthResult.FAIL, r.result());
        assertEquals("rsa-sha1 is not accepted (RFC 8301)", r.reason());
        assertEquals(0, dns.queries());
    }

    @Test
    void rsaKeysUnder1024BitsFail() {
        DkimSigningKey small = DkimSigningKey.generateRsa(768);
        DkimResult r = only(TestMessages.dnsFor(small, "sel"),
                signedWithTags(MESSAGE, small, DkimAlgorithm.RSA_SHA256, "d=example.com", "s=sel"));
        assertEquals(AuthResult.FAIL, r.result());
        assertEquals("RSA key of 768 bits", r.reason());
        DkimSigningKey enough = DkimSigningKey.generateRsa(1024);
        assertEquals(AuthResult.PASS, only(TestMessages.dnsFor(enough, "sel"),
                signedWithTags(MESSAGE, enough, DkimAlgorithm.RSA_SHA256, "d=example.com", "s=sel")).result());
    }

    @Test
    void expiredSignatureThatVerifiesIsPolicy() {
        FixtureDns dns = TestMessages.dnsFor(ED25519, "sel");
        String expired = signedWithTags(MESSAGE, ED25519, DkimAlgorithm.ED25519_SHA256, "d=example.com", "s=sel",
                "t=" + (NOW - 100), "x=" + (NOW - 1));
        DkimResult r = only(dns, expired);
        assertEquals(AuthResult.POLICY, r.result());
        assertEquals("signature expired", r.reason());
        String current = signedWithTags(MESSAGE, ED25519, DkimAlgorithm.ED25519_SHA256, "d=example.com", "s=sel",
                "t=" + (NOW - 100), "x=" + NOW);
        assertEquals(AuthResult.PASS, only(dns, current).result());
        assertEquals(AuthResult.FAIL, only(dns, expired.replace("indented", "changed")).result()); // fail comes first
    }

    @Test
    void bodyLengthLimit() {
        FixtureDns dns = TestMessages.dnsFor(RSA, "sel");
        String limited = signedWithTags(MESSAGE, RSA, DkimAlgorithm.RSA_SHA256, "d=example.com", "s=sel", "l=10");
        assertEquals(AuthResult.PASS, only(dns, limited + "appended by a list\r\n").result());
        String tooLong = signedWithTags(MESSAGE, RSA, DkimAlgorithm.RSA_SHA256, "d=example.com", "s=sel", "l=100000");
        DkimResult r = only(dns, tooLong);
        assertEquals(AuthResult.FAIL, r.result());
        assertEquals("l= is longer than the body", r.reason());
    }

    @Test
    void testingFlagIsReported() {
        FixtureDns dns = new FixtureDns().txt(KEY, ED25519.dnsRecord() + "; t=y");
        DkimResult r = only(dns, TestMessages.signed(MESSAGE, ED25519, "sel"));
        assertEquals(AuthResult.PASS, r.result());
        assertTrue(r.testing());
    }

    @Test
    void everySignatureGetsItsOwnVerdictInOrder() {
        String twice = TestMessages.signed(TestMessages.signed(MESSAGE, RSA, "one"), ED25519, "two");
        FixtureDns dns = TestMessages.dnsFor(RSA, "one").txt("two._domainkey.example.com", ED25519.dnsRecord());
        DkimResults r = TestMessages.verify(dns, twice);
        assertEquals(List.of(AuthResult.PASS, AuthResult.PASS), r.results().stream().map(DkimResult::result).toList());
        assertEquals(List.of("two", "one"), r.results().stream().map(DkimResult::selector).toList());
        assertEquals(List.of("example.com", "example.com"), r.passingDomains());
        DkimResults onlyOneKey = TestMessages.verify(TestMessages.dnsFor(RSA, "one"), twice);
        assertEquals(List.of(AuthResult.PERMERROR, AuthResult.PASS),
                onlyOneKey.results().stream().map(DkimResult::result).toList());
    }

    private static void assertPermerror(FixtureDns dns, String message, String reason) {
        DkimResult r = only(dns, message);
        assertEquals(AuthResult.PERMERROR, r.result(), r.reason());
        assertTrue(r.reason().contains(reason), r.reason());
    }
}
