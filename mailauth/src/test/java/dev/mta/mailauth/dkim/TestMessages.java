package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.FixtureDns;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Keys, messages and signatures the DKIM tests share; keys are made once per test run (RSA takes a while). */
final class TestMessages {
    static final long NOW = 1_750_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    static final DkimSigningKey RSA = DkimSigningKey.generateRsa();
    static final DkimSigningKey ED25519 = DkimSigningKey.generateEd25519();

    /** Folded and repeated fields, 8-bit text in a header and the body. */
    static final String MESSAGE = String.join("\r\n",
            "Received: from a.example.net by b.example.com;",
            "\tMon, 2 Jun 2025 10:00:00 +0000",
            "Received: from c.example.org by a.example.net; Mon, 2 Jun 2025 09:59:59 +0000",
            "From: Joe <joe@example.com>",
            "To: Suzie <suzie@example.net>,",
            "  Bob <bob@example.net>",
            "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=  and   spaces\t",
            "X-Raw-8bit: Grüße aus Köln",
            "Date: Mon, 2 Jun 2025 10:00:00 +0000",
            "Message-ID: <1@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            "Hällo,  wörld \t",
            "",
            "  indented line",
            "",
            "",
            "");

    private TestMessages() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code message} with our signature for d=example.com, s={@code selector}, on top. */
    static String signed(String message, DkimSigningKey key, String selector) {
        return new DkimSigner(key, "example.com", selector, CLOCK).sign(bytes(message)) + message;
    }

    /** The record of {@code key}, published at {@code selector}._domainkey.example.com. */
    static FixtureDns dnsFor(DkimSigningKey key, String selector) {
        return new FixtureDns().txt(selector + "._domainkey.example.com", key.dnsRecord());
    }

    static DkimVerifier verifier(DnsLookup dns) {
        return new DkimVerifier(dns, Runnable::run, CLOCK, DkimVerifier.DEFAULT_MAX_SIGNATURES);
    }

    static DkimResults verify(DnsLookup dns, String message) {
        return verifier(dns).verify(bytes(message)).toCompletableFuture().join();
    }

    static DkimResult only(DnsLookup dns, String message) {
        DkimResults r = verify(dns, message);
        if (r.results().size() != 1) {
            throw new AssertionError("results: " + r);
        }
        return r.results().get(0);
    }

    /**
     * {@code message} signed with tags of our choosing (after v= and a=, before bh=), relaxed/relaxed, h=from:to:
     * subject; {@code algorithm} may be one we never sign with (rsa-sha1).
     */
    static String signedWithTags(String message, DkimSigningKey key, DkimAlgorithm algorithm, String... tags) {
        MessageHeaders parsed = MessageHeaders.parse(bytes(message));
        long limit = BodyHasher.UNLIMITED;
        for (String t : tags) {
            limit = t.startsWith("l=") ? Long.parseLong(t.substring(2)) : limit;
        }
        BodyHasher body = new BodyHasher(Canonicalization.RELAXED, algorithm, limit);
        byte[] b = bytes(message);
        body.update(b, parsed.bodyStart(), b.length - parsed.bodyStart());
        List<SignatureLayout.Tag> list = new ArrayList<>();
        list.add(new SignatureLayout.Tag("v", "1"));
        list.add(new SignatureLayout.Tag("a", algorithm.tag()));
        list.add(new SignatureLayout.Tag("c", "relaxed/relaxed"));
        for (String t : tags) {
            int eq = t.indexOf('=');
            list.add(new SignatureLayout.Tag(t.substring(0, eq), t.substring(eq + 1)));
        }
        list.add(new SignatureLayout.Tag("h", "from:to:subject"));
        list.add(new SignatureLayout.Tag("bh", Base64.getEncoder().encodeToString(body.finish())));
        String unsigned = SignatureLayout.unsigned(list);
        List<HeaderField> headers = parsed.fields();
        String field = algorithm == DkimAlgorithm.RSA_SHA1
                ? SignatureLayout.withB(unsigned, Base64.getEncoder().encodeToString(
                        Sha1Signing.sign(key, SigningInput.of(headers, List.of("from", "to", "subject"),
                                Canonicalization.RELAXED, unsigned))))
                : DkimSigner.seal(key, headers, List.of("from", "to", "subject"), Canonicalization.RELAXED, unsigned);
        return field + "\r\n" + message;
    }

    /** RSA-SHA1 signing, which the production code refuses to do. */
    static final class Sha1Signing {
        private Sha1Signing() {
        }

        static byte[] sign(DkimSigningKey key, byte[] input) {
            try {
                java.security.Signature s = java.security.Signature.getInstance("SHA1withRSA");
                java.security.KeyFactory f = java.security.KeyFactory.getInstance("RSA");
                String pem = key.toPem();
                byte[] der = Base64.getMimeDecoder().decode(pem.substring(pem.indexOf('\n') + 1,
                        pem.indexOf("-----END")));
                s.initSign(f.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der)));
                s.update(input);
                return s.sign();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
