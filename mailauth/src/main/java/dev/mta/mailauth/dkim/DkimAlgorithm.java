package dev.mta.mailauth.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A signing algorithm of a DKIM-Signature's a= tag: rsa-sha256 (RFC 6376), ed25519-sha256 (RFC 8463), and rsa-sha1,
 * which is known only so that it can be refused: RFC 8301 forbids signing with it and considering it valid.
 */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "SHA-256", "SHA256withRSA"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "SHA-256", null),
    RSA_SHA1("rsa-sha1", "rsa", "SHA-1", "SHA1withRSA");

    private final String tag;
    private final String keyType;
    private final String digest;
    private final String jcaSignature;

    DkimAlgorithm(String tag, String keyType, String digest, String jcaSignature) {
        this.tag = tag;
        this.keyType = keyType;
        this.digest = digest;
        this.jcaSignature = jcaSignature;
    }

    /** The value of an a= tag naming this algorithm. */
    public String tag() {
        return tag;
    }

    /** The k= of a key record this algorithm's signatures are checked with. */
    public String keyType() {
        return keyType;
    }

    /** The JCA name of the hash (of the body, and of the header for Ed25519). */
    String digest() {
        return digest;
    }

    /** A new instance of the hash. */
    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + digest, e);
        }
    }

    /** The name of the hash in a key record's h= tag: sha256 or sha1. */
    String hashTag() {
        return this == RSA_SHA1 ? "sha1" : "sha256";
    }

    /** The JCA signature algorithm for the RSA ones; null for Ed25519, which BouncyCastle does. */
    String jcaSignature() {
        return jcaSignature;
    }

    /** Whether a signature with it can ever pass: not rsa-sha1 (RFC 8301 3.1). */
    public boolean acceptable() {
        return this != RSA_SHA1;
    }

    /** The algorithm an a= tag names (exact, lower case as the RFCs write them), if it is one we know. */
    static Optional<DkimAlgorithm> byTag(String tag) {
        for (DkimAlgorithm a : values()) {
            if (a.tag.equals(tag)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
