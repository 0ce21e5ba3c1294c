package dev.mta.mailauth.dkim;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signs messages for one domain and selector (RFC 6376 5): c=relaxed/relaxed, t= set, never l=, and the
 * {@link #OVERSIGNED} fields each listed in h= once more than the message has them, so that none can be added
 * without breaking the signature. Feed the body to {@link #bodyHasher()} as it streams, then {@link #sign}; signing
 * is CPU work (about a millisecond for RSA-2048): run it on a worker, not an event loop. Thread-safe.
 */
public final class DkimSigner {
    /** The fields signed, each once more than present (RFC 6376 8.15). */
    public static final List<String> OVERSIGNED = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");

    private final DkimSigningKey key;
    private final String domain;
    private final String selector;
    private final Clock clock;

    /**
     * @throws IllegalArgumentException for a domain or selector that is no domain name, or an RSA key under 1024
     *                                  bits (RFC 8301 3.2)
     */
    public DkimSigner(DkimSigningKey key, String domain, String selector, Clock clock) {
        if (!SignatureParser.isDomainName(domain) || !SignatureParser.isDomainName(selector)) {
            throw new IllegalArgumentException("not a domain name: d=" + domain + " s=" + selector);
        }
        if (key.algorithm() == DkimAlgorithm.RSA_SHA256 && key.bits() < SignatureCheck.MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA key of " + key.bits() + " bits; RFC 8301 wants 1024 at least");
        }
        this.key = key;
        this.domain = domain;
        this.selector = selector;
        this.clock = clock;
    }

    public DkimSigner(DkimSigningKey key, String domain, String selector) {
        this(key, domain, selector, Clock.systemUTC());
    }

    /** A hasher for the body this signer's signatures cover (relaxed, the key's hash, the whole body). */
    public BodyHasher bodyHasher() {
        return new BodyHasher(Canonicalization.RELAXED, key.algorithm());
    }

    /**
     * The complete DKIM-Signature field, folded, ending in CRLF, to put above the message's header.
     *
     * @param headers  the message's header fields, raw and in order, as it will be sent
     * @param bodyHash what {@link #bodyHasher()} gave for its body
     */
    public String sign(List<HeaderField> headers, byte[] bodyHash) {
        if (bodyHash.length != key.algorithm().newDigest().getDigestLength()) {
            throw new IllegalArgumentException("body hash of " + bodyHash.length + " octets");
        }
        List<String> names = signedNames(headers);
        List<SignatureLayout.Tag> tags = List.of(
                new SignatureLayout.Tag("v", "1"),
                new SignatureLayout.Tag("a", key.algorithm().tag()),
                new SignatureLayout.Tag("c", "relaxed/relaxed"),
                new SignatureLayout.Tag("d", domain),
                new SignatureLayout.Tag("s", selector),
                new SignatureLayout.Tag("t", Long.toString(clock.instant().getEpochSecond())),
                new SignatureLayout.Tag("h", String.join(":", names)),
                new SignatureLayout.Tag("bh", Base64.getEncoder().encodeToString(bodyHash)));
        return seal(key, headers, names, Canonicalization.RELAXED, SignatureLayout.unsigned(tags)) + "\r\n";
    }

    /** Signs a whole message held in memory; the field as {@link #sign(List, byte[])} gives it. */
    public String sign(byte[] message) {
        MessageHeaders parsed = MessageHeaders.parse(message);
        BodyHasher body = bodyHasher();
        body.update(message, parsed.bodyStart(), message.length - parsed.bodyStart());
        return sign(parsed.fields(), body.finish());
    }

    /** h=: each of {@link #OVERSIGNED} as many times as the message has it, plus one. */
    static List<String> signedNames(List<HeaderField> headers) {
        List<String> names = new ArrayList<>();
        for (String name : OVERSIGNED) {
            int present = 0;
            for (HeaderField f : headers) {
                present += f.hasName(name) ? 1 : 0;
            }
            for (int i = 0; i <= present; i++) {
                names.add(name);
            }
        }
        return names;
    }

    /** The unsigned field completed with the signature over {@code headers} and itself (RFC 6376 5.5, 3.7). */
    static String seal(DkimSigningKey key, List<HeaderField> headers, List<String> signedNames, Canonicalization c,
                       String unsigned) {
        byte[] signature = key.sign(SigningInput.of(headers, signedNames, c, unsigned));
        return SignatureLayout.withB(unsigned, Base64.getEncoder().encodeToString(signature));
    }
}
