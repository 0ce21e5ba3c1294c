package dev.mta.mailauth.dkim;

import java.util.List;

/**
 * A DKIM-Signature field whose tags all parse (RFC 6376 3.5). Byte arrays are the decoded b= and bh=; the numbers
 * are -1 when their tag is absent.
 *
 * @param field          the field as received
 * @param withoutB       its raw text with the b= value cut out (what its own hash covers, RFC 6376 3.7)
 * @param signedHeaders  h=, the names as written, in order
 * @param bodyLength     l=, or -1
 * @param timestamp      t=, or -1
 * @param expiration     x=, or -1
 */
record DkimSignature(HeaderField field, String withoutB, DkimAlgorithm algorithm, byte[] signature, byte[] bodyHash,
                     Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization, String domain,
                     String selector, String identity, List<String> signedHeaders, long bodyLength, long timestamp,
                     long expiration, String headerB) implements ParsedSignature {

    @Override
    public String algorithmTag() {
        return algorithm.tag();
    }

    /** The name of the key record: s._domainkey.d (RFC 6376 3.6.2.1). */
    String keyName() {
        return selector + "._domainkey." + domain;
    }

    /** The domain part of i=. */
    String identityDomain() {
        return identity.substring(identity.lastIndexOf('@') + 1);
    }
}
