package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.results.AuthResult;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict on one parsed signature once its key lookup has answered and the body is hashed (RFC 6376 6.1.2,
 * 6.1.3), in RFC 8601's words: temperror when the key could not be fetched for now; permerror when there is no
 * usable key record (none, too big, malformed, revoked, of the wrong type, not for email or this hash, t=s broken);
 * fail when the key is an RSA key under 1024 bits (RFC 8301), the body hash differs or the signature does not
 * verify; policy when it verifies but x= has passed; pass otherwise. The crypto runs here: call it on a worker.
 */
final class SignatureCheck {
    /** RFC 8301 3.2: verifiers MUST NOT consider signatures with smaller RSA keys valid. */
    static final int MIN_RSA_BITS = 1024;

    /** What the key lookup gave: the DNS answer, or the failure of the lookup itself (then {@code dns} is null). */
    record KeyAnswer(DnsResult<String> dns, Throwable failure) {
    }

    private SignatureCheck() {
    }

    /**
     * @param headers   the message's fields, the signature's own included (it is left out of the h= selection)
     * @param bodyHash  the body hash for the signature's c=, a= and l=
     * @param bodyLength the length of the whole canonical body
     * @param now       seconds since the epoch, for x=
     */
    static DkimResult check(DkimSignature sig, KeyAnswer answer, List<HeaderField> headers, byte[] bodyHash,
                            long bodyLength, long now) {
        if (answer.dns() == null) {
            return DkimResult.of(AuthResult.TEMPERROR, "key lookup failed", sig);
        }
        DkimResult notFound = switch (answer.dns().status()) {
            case TEMPFAIL -> DkimResult.of(AuthResult.TEMPERROR, "key lookup failed for now", sig);
            case NXDOMAIN, NODATA -> DkimResult.of(AuthResult.PERMERROR, "no key record", sig);
            case TOO_BIG -> DkimResult.of(AuthResult.PERMERROR, "key record answer too big", sig);
            case FOUND -> null;
        };
        if (notFound != null) {
            return notFound;
        }
        KeyRecord key;
        try {
            key = chooseKey(answer.dns().records());
        } catch (DkimSyntaxException e) {
            return DkimResult.of(AuthResult.PERMERROR, "bad key record: " + e.getMessage(), sig);
        }
        DkimResult unusable = unusable(sig, key);
        if (unusable != null) {
            return unusable;
        }
        int bits = key.key().bits();
        if (key.keyType().equals("rsa") && bits < MIN_RSA_BITS) {
            return DkimResult.of(AuthResult.FAIL, "RSA key of " + bits + " bits", sig, bits, key.testing());
        }
        if (sig.bodyLength() > bodyLength) {
            return DkimResult.of(AuthResult.FAIL, "l= is longer than the body", sig, bits, key.testing());
        }
        if (!MessageDigest.isEqual(bodyHash, sig.bodyHash())) {
            return DkimResult.of(AuthResult.FAIL, "body hash did not verify", sig, bits, key.testing());
        }
        byte[] input = SigningInput.of(othersThan(sig.field(), headers), sig.signedHeaders(),
                sig.headerCanonicalization(), sig.withoutB());
        if (!key.key().verify(sig.algorithm(), input, sig.signature())) {
            return DkimResult.of(AuthResult.FAIL, "signature did not verify", sig, bits, key.testing());
        }
        if (sig.expiration() >= 0 && now > sig.expiration()) {
            // It verifies, and only x= makes it unacceptable, which RFC 6376 3.5 leaves to the verifier ("MAY be
            // considered invalid"): RFC 8601's policy ("some aspect ... not acceptable"), not fail.
            return DkimResult.of(AuthResult.POLICY, "signature expired", sig, bits, key.testing());
        }
        return DkimResult.of(AuthResult.PASS, "", sig, bits, key.testing());
    }

    /** The first record that parses (RFC 6376 3.6.2.2 lets the verifier choose); else the first one's error. */
    private static KeyRecord chooseKey(List<String> records) throws DkimSyntaxException {
        DkimSyntaxException first = null;
        for (String r : records) {
            try {
                return KeyRecord.parse(r);
            } catch (DkimSyntaxException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /** Why the key record cannot check this signature (a permerror), or null. */
    private static DkimResult unusable(DkimSignature sig, KeyRecord key) {
        String reason = null;
        if (key.revoked()) {
            reason = "key revoked";
        } else if (!key.keyType().equals(sig.algorithm().keyType())) {
            reason = "key type " + key.keyType() + " does not match a=";
        } else if (!key.allows(sig.algorithm())) {
            reason = "key record does not allow " + sig.algorithm().hashTag();
        } else if (!key.forEmail()) {
            reason = "key record is not for email";
        } else if (key.strict() && !HeaderCanonicalizer.asciiLower(sig.identityDomain())
                .equals(HeaderCanonicalizer.asciiLower(sig.domain()))) {
            reason = "key record has t=s and i= is a subdomain";
        }
        return reason == null ? null : DkimResult.of(AuthResult.PERMERROR, reason, sig, 0, key.testing());
    }

    private static List<HeaderField> othersThan(HeaderField self, List<HeaderField> headers) {
        List<HeaderField> others = new ArrayList<>(headers.size());
        for (HeaderField f : headers) {
            if (f != self) {
                others.add(f);
            }
        }
        return others;
    }
}
