package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every verdict {@code mta dkim check} can print, from a key and a DNS answer alone. */
class PublishedKeyCheckTest {
    private static final DkimSigningKey RSA = DkimSigningKey.generateRsa(2048);
    private static final DkimSigningKey OTHER_RSA = DkimSigningKey.generateRsa(1024);
    private static final DkimSigningKey ED25519 = DkimSigningKey.generateEd25519();

    private static PublishedKeyCheck.Verdict judge(DkimSigningKey key, String... records) {
        return PublishedKeyCheck.judge(key, TxtAnswer.found(List.of(records)));
    }

    private static void assertVerdict(boolean matches, String text, PublishedKeyCheck.Verdict v) {
        assertEquals(new PublishedKeyCheck.Verdict(matches, text), v);
    }

    @Test
    void matches() {
        assertVerdict(true, "matches (rsa, 2048 bits)", judge(RSA, RSA.dnsRecord()));
        assertVerdict(true, "matches (ed25519)", judge(ED25519, ED25519.dnsRecord()));
        assertVerdict(true, "matches (ed25519; t=y: verifiers treat it as a test)",
                judge(ED25519, ED25519.dnsRecord() + "; t=y"));
    }

    @Test
    void keyDiffers() {
        assertVerdict(false, "differs: key differs (p= is another rsa key of 1024 bits)", judge(RSA, OTHER_RSA.dnsRecord()));
        assertVerdict(false, "differs: key differs (p= is another ed25519 key)",
                judge(ED25519, DkimSigningKey.generateEd25519().dnsRecord()));
    }

    @Test
    void keyTypeDiffers() {
        assertVerdict(false, "differs: k= differs (k=ed25519 in the record, the key is rsa)", judge(RSA, ED25519.dnsRecord()));
        assertVerdict(false, "differs: k= differs (no k= (so rsa) in the record, the key is ed25519)",
                judge(ED25519, ED25519.dnsRecord().replace(" k=ed25519;", "")));
    }

    @Test
    void recordMissing() {
        assertVerdict(false, "differs: record missing (no such name)", PublishedKeyCheck.judge(RSA, TxtAnswer.nxdomain()));
        assertVerdict(false, "differs: record missing (the name has no TXT record)",
                PublishedKeyCheck.judge(RSA, TxtAnswer.nodata()));
        assertVerdict(false, "differs: record missing (the name has no TXT record)", judge(RSA), "found nothing is no data");
    }

    private static void assertVerdict(boolean matches, String text, PublishedKeyCheck.Verdict v, String why) {
        assertEquals(new PublishedKeyCheck.Verdict(matches, text), v, why);
    }

    @Test
    void severalRecordsNeverMatchEvenWithOursAmongThem() {
        assertVerdict(false, "differs: several records (2 TXT records, one of them this key; verifiers may take any one)",
                judge(RSA, OTHER_RSA.dnsRecord(), RSA.dnsRecord()));
        assertVerdict(false, "differs: several records (2 TXT records, 2 of them this key; verifiers may take any one)",
                judge(RSA, RSA.dnsRecord(), RSA.dnsRecord()));
        assertVerdict(false, "differs: several records (3 TXT records, none of them this key; verifiers may take any one)",
                judge(RSA, OTHER_RSA.dnsRecord(), "v=spf1 -all", "v=DKIM1; p="));
    }

    @Test
    void revoked() {
        assertVerdict(false, "differs: revoked (p= is empty)", judge(RSA, "v=DKIM1; k=rsa; p="));
    }

    @Test
    void restrictedAndMalformed() {
        assertVerdict(false, "differs: restricted (h= does not allow sha256)", judge(RSA, RSA.dnsRecord() + "; h=sha1"));
        assertVerdict(false, "differs: malformed record (key record p= is not base64)", judge(RSA, "v=DKIM1; p=%%"));
        assertVerdict(false, "differs: malformed record (key record v= is not DKIM1)", judge(RSA, "v=spf1 -all"));
    }

    @Test
    void lookupFailedAndUnreadableKey() {
        assertVerdict(false, "lookup failed: timed out", PublishedKeyCheck.judge(RSA, TxtAnswer.failed("timed out")));
        assertVerdict(false, "key file unreadable: no PEM BEGIN line", PublishedKeyCheck.unreadable("no PEM BEGIN line"));
    }
}
