package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mta.mailauth.dkim.TestMessages.ED25519;
import static dev.mta.mailauth.dkim.TestMessages.RSA;
import static dev.mta.mailauth.dkim.TestMessages.bytes;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenDKIM (libopendkim through opendkim-testmsg) as a second witness besides dkimpy: what our signer signs, RSA-2048
 * and Ed25519, it verifies, and altered copies it fails. It looks keys up only through the system resolver, so it
 * runs in a network namespace this test makes, whose resolv.conf names a dnsmasq on the namespace's loopback serving
 * our key records (RSA-2048's as several strings, being over 255 octets). OpenDKIM's verdict is the check.
 */
class OpenDkimWitnessTest {
    private static final String DOMAIN = "example.com";

    private static final String BAD = "Bad signature";
    private static final String DATE = "Date: Mon, 2 Jun 2025 10:00:00 +0000\r\n";

    /**
     * What a relayed message may hold; each ends in CRLF, as a body that came by SMTP does. Each is a well-formed
     * RFC 5322 header (one Date and one From, at most one To, Cc, Subject...): opendkim-testmsg checks that
     * (DKIM_LIBFLAGS_STRICTHDRS, since OpenDKIM 2.10.3) and says "Syntax error" before looking at any signature;
     * the repeated fields are those that may repeat.
     */
    private record Sample(String name, String text) {
    }

    private static final List<Sample> SAMPLES = List.of(
            new Sample("folded, repeated and 8-bit fields", TestMessages.MESSAGE),
            new Sample("empty body", "From: a@example.com\r\nTo: b@example.net\r\nSubject: empty\r\n" + DATE
                    + "\r\n"),
            new Sample("header only", "From: a@example.com\r\nSubject: only headers\r\n" + DATE),
            new Sample("repeats, folds and WSP", "Received: from a by b; Mon, 2 Jun 2025 10:00:01 +0000\r\n"
                    + "Received: from c by a;\r\n\tMon, 2 Jun 2025 10:00:00 +0000\r\nFrom: a@example.com\r\n"
                    + "To: b@example.net,\r\n  c@example.net\r\nComments: one\r\nComments:  two  \r\n"
                    + "X-Repeated: 1\r\nX-Repeated: 2\r\nX-Repeated: 3\r\n"
                    + "Subject:    spaced \t out\r\n   and folded  \r\n" + DATE
                    + "\r\n \t\r\nbody  with \t WSP  \r\n\r\n\r\n"),
            new Sample("8-bit body", "From: =?utf-8?q?J=C3=B6?= <jo@example.com>\r\nSubject: Grüße\r\n" + DATE
                    + "X-8bit: ÄÖÜ äöü\r\n\r\n8-bit body: Grüße, ça va, 日本語\r\n\r\n\r\n"),
            new Sample("large body", "From: a@example.com\r\nSubject: large\r\n" + DATE + "\r\n" + largeBody()));

    @TempDir
    static Path dir;
    static NetnsDns ns;
    static OpenDkimTestmsg opendkim;

    @BeforeAll
    static void start() throws Exception {
        NetnsTools tools = NetnsTools.require();
        Map<String, String> records = Map.of(
                "rsa._domainkey." + DOMAIN, RSA.dnsRecord(),
                "ed._domainkey." + DOMAIN, ED25519.dnsRecord(),
                // Another key than the one that signs as "stale": a rotated key published too early, say.
                "stale._domainkey." + DOMAIN, DkimSigningKey.generateRsa().dnsRecord());
        try {
            ns = NetnsDns.start(tools, dir, records);
        } catch (NetnsDns.Unavailable e) {
            NetnsTools.unavailable(e.getMessage());
        }
        opendkim = new OpenDkimTestmsg(ns, tools.opendkimTestmsg(), dir);
    }

    @AfterAll
    static void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void theRsaRecordGoesOutAsSeveralStrings() {
        List<String> strings = DnsmasqTxt.strings(RSA.dnsRecord());
        assertTrue(RSA.dnsRecord().length() > DnsmasqTxt.MAX_STRING, RSA.dnsRecord());
        assertTrue(strings.size() > 1, strings::toString);
        assertEquals(RSA.dnsRecord(), String.join("", strings));
    }

    @Test
    void verifiesWhatWeSignWithRsa2048() {
        assertAll(passes(RSA, "rsa"));
    }

    @Test
    void verifiesWhatWeSignWithEd25519() {
        assertAll(passes(ED25519, "ed"));
    }

    @Test
    void failsAlteredCopies() {
        List<Executable> checks = new ArrayList<>();
        for (DkimSigningKey key : List.of(RSA, ED25519)) {
            for (Sample s : SAMPLES) {
                String signed = TestMessages.signed(s.text(), key, key == RSA ? "rsa" : "ed");
                String label = key.algorithm().tag() + ", " + s.name() + ", ";
                // Reply-To, which none has, as one added can be: signed as absent, its arrival breaks the signature.
                checks.add(() -> assertFails(label + "Reply-To added",
                        signed.replaceFirst("\r\nFrom: ", "\r\nReply-To: eve@example.org\r\nFrom: "), BAD));
                checks.add(() -> assertFails(label + "Subject changed",
                        signed.replaceFirst("\r\nSubject:", "\r\nSubject: Re:"), BAD));
                checks.add(() -> assertFails(label + "body changed", signed
                        + (s.text().contains("\r\n\r\n") ? "altered\r\n" : "\r\naltered\r\n"), BAD));
            }
        }
        assertAll(checks);
    }

    @Test
    void failsWhenDnsHoldsAnotherKeyOrNone() throws Exception {
        assertFails("another key", TestMessages.signed(TestMessages.MESSAGE, RSA, "stale"), BAD);
        // NXDOMAIN: libopendkim's res_nquery backend cannot tell it from a failed lookup, so not "No key".
        assertFails("no key", TestMessages.signed(TestMessages.MESSAGE, RSA, "absent"), "Key retrieval failed");
    }

    private static List<Executable> passes(DkimSigningKey key, String selector) {
        List<Executable> checks = new ArrayList<>();
        for (Sample s : SAMPLES) {
            checks.add(() -> {
                OpenDkimTestmsg.Verdict v = opendkim.verify(bytes(TestMessages.signed(s.text(), key, selector)));
                assertTrue(v.pass(), () -> key.algorithm().tag() + ", " + s.name() + ": " + v.output());
            });
        }
        return checks;
    }

    /** OpenDKIM fails the message at its end (dkim_eom), past parsing, for the reason given. */
    private static void assertFails(String label, String message, String reason) throws Exception {
        OpenDkimTestmsg.Verdict v = opendkim.verify(bytes(message));
        assertFalse(v.pass(), label);
        assertEquals("opendkim-testmsg: dkim_eom(): " + reason, v.output(), label);
    }

    /** 2,000 lines of 80 octets: CRLFs fall on many of opendkim-testmsg's 1,024-octet read edges. */
    private static String largeBody() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            b.append(String.format("%05d ", i)).append("x".repeat(72)).append("\r\n");
        }
        return b.toString();
    }
}
