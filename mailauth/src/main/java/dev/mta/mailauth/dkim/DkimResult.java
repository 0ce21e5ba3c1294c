package dev.mta.mailauth.dkim;

import dev.mta.mailauth.results.AuthResult;

/**
 * The verdict on one DKIM-Signature and what Authentication-Results reports of it (RFC 8601 2.7.1, RFC 6008):
 * pass, fail, policy, neutral, temperror or permerror, why in a few words, and the signature's d=, s=, a=, i= and
 * the first 8 characters of b= (header.b, telling apart signatures of one domain). Strings a malformed signature
 * did not give are "".
 *
 * @param keyBits the key's size (RSA modulus bits, 256 for Ed25519), 0 when no key was used
 * @param testing the key record's t=y: the domain is testing DKIM (RFC 6376 3.6.1); the verdict stands regardless
 */
public record DkimResult(AuthResult result, String reason, String domain, String selector, String algorithm,
                         String identity, String headerB, int keyBits, boolean testing) {

    static DkimResult of(AuthResult result, String reason, ParsedSignature s) {
        return of(result, reason, s, 0, false);
    }

    static DkimResult of(AuthResult result, String reason, ParsedSignature s, int keyBits, boolean testing) {
        return new DkimResult(result, reason, s.domain(), s.selector(), s.algorithmTag(), s.identity(), s.headerB(),
                keyBits, testing);
    }
}
