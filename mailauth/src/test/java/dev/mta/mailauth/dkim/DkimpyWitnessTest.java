package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.results.AuthResult;
import dev.mta.testkit.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.mta.mailauth.dkim.TestMessages.MESSAGE;
import static dev.mta.mailauth.dkim.TestMessages.RSA;
import static dev.mta.mailauth.dkim.TestMessages.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * dkimpy as the witness, both ways: what we sign it verifies (RSA and Ed25519; empty and missing bodies, 8-bit,
 * folded and repeated fields), and what it signs, with every canonicalization, we verify with its verdicts, altered
 * copies included; only rsa-sha1 differs, failing here whatever dkimpy answers (RFC 8301).
 */
class DkimpyWitnessTest {
    private static final String DOMAIN = "example.com";
    /**
     * Messages that stress canonicalization: ours, an empty body, no body, repeats, WSP and empty lines at line and
     * body ends, 8-bit text. Not a last line that lacks its CRLF and ends in WSP: dkimpy keeps that WSP, we drop it
     * as RFC 6376 3.4.4 says (WSP at the end of lines); a body that came by SMTP always ends in CRLF anyway.
     */
    private static final List<String> MESSAGES = List.of(
            MESSAGE,
            "From: a@example.com\r\nTo: b@example.net\r\nSubject: empty\r\n\r\n",
            "From: a@example.com\r\nSubject: only headers\r\n",
            "From: a@example.com\r\nTo: b@example.net\r\nTo: c@example.net\r\nCc: d@example.net\r\n"
                    + "Subject:    spaced \t out\r\n   and folded  \r\n\r\n \t\r\nbody  with \t WSP  \r\n"
                    + "\r\n\r\nlast line without CRLF",
            "From: =?utf-8?q?J=C3=B6?= <jo@example.com>\r\nSubject: Grüße\r\nX-8bit: ÄÖÜ äöü\r\n\r\n"
                    + "8-bit body: Grüße, ça va, 日本語\r\n\r\n\r\n");
    private static final List<String> ALGORITHMS = List.of("rsa-sha256", "ed25519-sha256", "rsa-sha1");
    private static final List<String> CANONICALIZATIONS = List.of("simple/simple", "relaxed/relaxed",
            "relaxed/simple", "simple/relaxed");

    @TempDir
    static Path dir;
    static Dkimpy dkimpy;
    static byte[] edSecret;
    static DkimSigningKey ed25519;
    static Map<String, String> keys;

    @BeforeAll
    static void setUp() throws Exception {
        dkimpy = Dkimpy.require(dir);
        edSecret = new byte[32];
        new SecureRandom().nextBytes(edSecret);
        ed25519 = DkimSigningKey.fromEd25519Secret(edSecret);
        keys = Map.of("ours-rsa._domainkey." + DOMAIN, RSA.dnsRecord(),
                "ours-ed._domainkey." + DOMAIN, ed25519.dnsRecord(),
                "dkimpy-rsa._domainkey." + DOMAIN, RSA.dnsRecord(),
                "dkimpy-ed._domainkey." + DOMAIN, ed25519.dnsRecord());
    }

    @Test
    void dkimpyVerifiesWhatWeSign() throws Exception {
        List<byte[]> good = new ArrayList<>();
        List<byte[]> bad = new ArrayList<>();
        for (DkimSigningKey key : List.of(RSA, ed25519)) {
            for (String message : MESSAGES) {
                String signed = ours(key, message);
                good.add(bytes(signed));
                // The witness can tell: an added To, or a changed body, fails with it.
                bad.add(bytes(signed.replaceFirst("\r\nFrom: ", "\r\nTo: eve@example.org\r\nFrom: ")));
                bad.add(bytes(alterBody(signed)));
            }
        }
        dkimpy.verifyAll(good, keys).forEach(v -> assertEquals(List.of(true), v));
        dkimpy.verifyAll(bad, keys).forEach(v -> assertEquals(List.of(false), v));
    }

    @Test
    void dkimpyVerifiesWhatWeSignWithKeysOpenSslMade() throws Exception {
        String openssl = Peers.require("openssl");
        for (String algorithm : List.of("RSA", "ED25519")) {
            Path pem = dir.resolve("openssl-" + algorithm + ".pem");
            Process p = new ProcessBuilder(openssl, "genpkey", "-algorithm", algorithm, "-out", pem.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            DkimSigningKey key = load(pem);
            String signed = new DkimSigner(key, DOMAIN, "openssl", TestMessages.CLOCK).sign(bytes(MESSAGE)) + MESSAGE;
            assertEquals(List.of(true), dkimpy.verify(bytes(signed),
                    Map.of("openssl._domainkey." + DOMAIN, key.dnsRecord())), algorithm);
        }
    }

    @Test
    void weAgreeWithDkimpyOnWhatItSigns() throws Exception {
        List<Dkimpy.SignRequest> requests = new ArrayList<>();
        for (String algorithm : ALGORITHMS) {
            for (String c : CANONICALIZATIONS) {
                for (String message : MESSAGES) {
                    // dkimpy's own default h= (which oversigns some fields) every other time, a list with repeats else.
                    List<String> headers = requests.size() % 2 == 0 ? null : List.of("from", "to", "subject", "to",
                            "cc", "date");
                    requests.add(request(message, algorithm, c, headers, false));
                }
            }
        }
        List<String> fields = dkimpy.signAll(requests);
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String signed = fields.get(i) + new String(requests.get(i).message(), StandardCharsets.UTF_8);
            cases.add(signed);
            cases.add(alterBody(signed));
            cases.add(signed.replaceFirst("\r\nFrom: ", "\r\nFrom:  x"));
        }
        // dkimpy passes every unaltered copy (rsa-sha1 too) and fails every altered one: both verdicts are compared.
        assertEquals(requests.size(), assertAgree(cases));
        assertEquals(ALGORITHMS.size() * CANONICALIZATIONS.size() * MESSAGES.size() * 3, cases.size());
    }

    @Test
    void bodyLengthSignaturesAgreeToo() throws Exception {
        String field = dkimpy.signAll(List.of(request(MESSAGE, "rsa-sha256", "relaxed/relaxed", null, true))).get(0);
        String signed = field + MESSAGE;
        assertEquals(2, assertAgree(List.of(signed, signed + "appended by a list\r\n",
                signed.replace("indented", "changed"))));
        assertEquals(AuthResult.PASS, ours(signed + "appended by a list\r\n"));
    }

    @Test
    void bothSignaturesOfATwiceSignedMessage() throws Exception {
        String once = dkimpy.signAll(List.of(request(MESSAGE, "ed25519-sha256", "relaxed/relaxed", null, false)))
                .get(0) + MESSAGE;
        String twice = ours(RSA, once);
        assertEquals(List.of(true, true), dkimpy.verify(bytes(twice), keys));
        assertEquals(List.of(AuthResult.PASS, AuthResult.PASS),
                TestMessages.verify(fixture(), twice).results().stream().map(DkimResult::result).toList());
    }

    /**
     * Our verdict on each message's one signature equals dkimpy's, except that rsa-sha1 must fail here. Returns how
     * many dkimpy passed.
     */
    private static int assertAgree(List<String> signed) throws Exception {
        List<List<Boolean>> theirs = dkimpy.verifyAll(signed.stream().map(TestMessages::bytes).toList(), keys);
        int passed = 0;
        for (int i = 0; i < signed.size(); i++) {
            passed += theirs.get(i).get(0) ? 1 : 0;
            AuthResult ours = ours(signed.get(i));
            if (signed.get(i).contains("a=rsa-sha1")) {
                assertEquals(AuthResult.FAIL, ours, signed.get(i));
            } else {
                assertEquals(theirs.get(i).get(0) ? AuthResult.PASS : AuthResult.FAIL, ours,
                        "dkimpy " + theirs.get(i) + ":\n" + signed.get(i));
            }
        }
        return passed;
    }

    private static String ours(DkimSigningKey key, String message) {
        String selector = key == RSA ? "ours-rsa" : "ours-ed";
        return new DkimSigner(key, DOMAIN, selector, TestMessages.CLOCK).sign(bytes(message)) + message;
    }

    private static AuthResult ours(String signed) {
        return TestMessages.only(fixture(), signed).result();
    }

    private static FixtureDns fixture() {
        FixtureDns dns = new FixtureDns();
        keys.forEach(dns::txt);
        return dns;
    }

    /** {@code message} with text added to its body (a body made, for a message that had none). */
    private static String alterBody(String message) {
        return message + (message.contains("\r\n\r\n") ? "altered\r\n" : "\r\naltered\r\n");
    }

    /** dkimpy signing as "dkimpy-rsa" or "dkimpy-ed", with the same keys as ours. */
    private static Dkimpy.SignRequest request(String message, String algorithm, String c, List<String> headers,
                                              boolean length) {
        boolean ed = algorithm.startsWith("ed25519");
        String key = ed ? Base64.getEncoder().encodeToString(edSecret) : RSA.toPem();
        String[] hc = c.split("/");
        return new Dkimpy.SignRequest(bytes(message), key, ed ? "dkimpy-ed" : "dkimpy-rsa", DOMAIN, algorithm, hc[0],
                hc[1], headers, length);
    }

    private static DkimSigningKey load(Path pemFile) throws Exception {
        return DkimSigningKey.fromPem(Files.readString(pemFile));
    }
}
