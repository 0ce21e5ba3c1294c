package dev.mta.mailauth.dmarc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading DMARC Policy Records (RFC 9989 4.7, 4.8, 4.10.1; RFC 7489's tags). */
class DmarcRecordParserTest {

    @Test
    void readsEveryTag() {
        DmarcRecord r = parse("v=DMARC1; p=quarantine; sp=reject; np=none; adkim=s; aspf=s; t=y; psd=n; "
                + "rua=mailto:a@example.com, mailto:b@example.net!10m; ruf=mailto:f@example.com; fo=1");
        assertTrue(r.usable());
        assertEquals(Policy.QUARANTINE, r.p());
        assertEquals(Policy.REJECT, r.sp());
        assertEquals(Policy.NONE, r.np());
        assertEquals(AlignmentMode.STRICT, r.adkim());
        assertEquals(AlignmentMode.STRICT, r.aspf());
        assertTrue(r.testing());
        assertEquals(DmarcRecord.Psd.N, r.psd());
        assertEquals(List.of("mailto:a@example.com", "mailto:b@example.net"), r.rua());
        assertEquals(List.of("mailto:f@example.com"), r.ruf());
    }

    @Test
    void defaults() {
        DmarcRecord r = parse("v=DMARC1; p=none");
        assertNull(r.sp());
        assertNull(r.np());
        assertEquals(Policy.NONE, r.subdomainPolicy());
        assertEquals(Policy.NONE, r.nonExistentPolicy());
        assertEquals(AlignmentMode.RELAXED, r.adkim());
        assertEquals(AlignmentMode.RELAXED, r.aspf());
        assertFalse(r.testing());
        assertEquals(DmarcRecord.Psd.U, r.psd());
    }

    @Test
    void npFallsBackToSpThenP() {
        assertEquals(Policy.QUARANTINE, parse("v=DMARC1; p=reject; sp=quarantine").nonExistentPolicy());
        assertEquals(Policy.REJECT, parse("v=DMARC1; p=reject").nonExistentPolicy());
    }

    @Test
    void versionFirstAndExact() {
        assertTrue(DmarcRecordParser.parse("v=DMARC1").isPresent());
        assertTrue(DmarcRecordParser.parse("v = DMARC1;p=none").isPresent());
        assertTrue(DmarcRecordParser.parse("V=DMARC1; p=none").isPresent()); // the tag name, not its value, in any case
        assertFalse(DmarcRecordParser.parse("v=dmarc1; p=none").isPresent());
        assertFalse(DmarcRecordParser.parse("p=none; v=DMARC1").isPresent());
        assertFalse(DmarcRecordParser.parse(" v=DMARC1; p=none").isPresent());
        assertFalse(DmarcRecordParser.parse("v=DMARC1p=none").isPresent());
        assertFalse(DmarcRecordParser.parse("").isPresent());
        assertFalse(DmarcRecordParser.parse(null).isPresent());
    }

    @Test
    void severalDmarcRecordsAtANameAreNone() {
        assertEquals(Optional.empty(), DmarcRecordParser.select(List.of("v=DMARC1; p=none", "v=DMARC1; p=reject")));
        assertEquals(Policy.REJECT,
                DmarcRecordParser.select(List.of("v=spf1 -all", "v=DMARC1; p=reject")).orElseThrow().p());
    }

    @Test
    void pct0IsTestingUnlessTSaysOtherwise() {
        assertTrue(parse("v=DMARC1; p=reject; pct=0").testing());
        assertFalse(parse("v=DMARC1; p=reject; pct=1").testing());
        assertFalse(parse("v=DMARC1; p=reject; pct=100").testing());
        assertFalse(parse("v=DMARC1; p=reject; pct=zero").testing());
        assertFalse(parse("v=DMARC1; p=reject; t=n; pct=0").testing());
        assertTrue(parse("v=DMARC1; p=reject; t=y; pct=100").testing());
        assertTrue(parse("v=DMARC1; p=reject; t=maybe; pct=0").testing());
    }

    @Test
    void rfAndRiAreIgnored() {
        assertEquals(parse("v=DMARC1; p=reject"), parse("v=DMARC1; p=reject; rf=afrf; ri=3600"));
    }

    @Test
    void withoutAValidPARuaMakesItPNoneElseUnusable() {
        DmarcRecord withRua = parse("v=DMARC1; p=bogus; sp=reject; np=reject; rua=mailto:d@example.com");
        assertTrue(withRua.usable());
        assertEquals(Policy.NONE, withRua.p());
        assertEquals(Policy.NONE, withRua.subdomainPolicy());
        assertEquals(Policy.NONE, withRua.nonExistentPolicy());
        assertFalse(parse("v=DMARC1; sp=reject").usable());
        assertFalse(parse("v=DMARC1; p=reject; np=block").usable());
        assertFalse(parse("v=DMARC1; rua=no uri here").usable());
    }

    @Test
    void junkIsIgnored() {
        DmarcRecord r = parse("v=DMARC1;;p=reject;;junk;=x;9=y;adkim=maybe;psd=perhaps;t=;");
        assertTrue(r.usable());
        assertEquals(Policy.REJECT, r.p());
        assertEquals(AlignmentMode.RELAXED, r.adkim());
        assertEquals(DmarcRecord.Psd.U, r.psd());
        assertFalse(r.testing());
    }

    @Test
    void theFirstOfARepeatedTagWins() {
        assertEquals(Policy.NONE, parse("v=DMARC1; p=none; p=reject").p());
    }

    private static DmarcRecord parse(String txt) {
        return DmarcRecordParser.parse(txt).orElseThrow();
    }
}
