package dev.mta.mailauth.dkim;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * A DKIM private key, RSA (rsa-sha256) or Ed25519 (ed25519-sha256, RFC 8463; BouncyCastle's, some 16 times faster
 * than the JDK's), loaded from PEM or generated, with the DNS record that publishes its public half
 * (RFC 6376 3.6.1). Immutable and safe to share between threads.
 */
public final class DkimSigningKey {
    /** The RSA size {@link #generateRsa()} makes (RFC 8301 3.2: at least 1024, SHOULD be 2048). */
    public static final int DEFAULT_RSA_BITS = 2048;

    private final DkimAlgorithm algorithm;
    private final PrivateKey rsa;
    private final RSAPublicKey rsaPublic;
    private final Ed25519PrivateKeyParameters ed25519;

    private DkimSigningKey(PrivateKey rsa, RSAPublicKey rsaPublic, Ed25519PrivateKeyParameters ed25519) {
        this.algorithm = rsa != null ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256;
        this.rsa = rsa;
        this.rsaPublic = rsaPublic;
        this.ed25519 = ed25519;
    }

    /**
     * A key from the text of a PEM file: PKCS#8 (RSA or Ed25519) or PKCS#1 RSA, unencrypted. The caller reads the
     * file: this module touches no disk.
     */
    public static DkimSigningKey fromPem(String pem) throws InvalidKeyException {
        PemKeys.Decoded d = PemKeys.read(pem);
        return d.rsa() != null ? rsa(d.rsa()) : fromEd25519Secret(d.ed25519());
    }

    /** An Ed25519 key from its 32-octet secret (the RFC 8032 "private key"; dkimpy's base64 key files hold it). */
    public static DkimSigningKey fromEd25519Secret(byte[] secret) throws InvalidKeyException {
        if (secret.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new InvalidKeyException("Ed25519 secret of " + secret.length + " octets");
        }
        return new DkimSigningKey(null, null, new Ed25519PrivateKeyParameters(secret, 0));
    }

    /** A new RSA key of {@link #DEFAULT_RSA_BITS}. */
    public static DkimSigningKey generateRsa() {
        return generateRsa(DEFAULT_RSA_BITS);
    }

    public static DkimSigningKey generateRsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            RSAPrivateCrtKey k = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
            return rsa(new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                    k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(),
                    k.getCrtCoefficient()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation", e);
        }
    }

    public static DkimSigningKey generateEd25519() {
        return new DkimSigningKey(null, null, new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    private static DkimSigningKey rsa(RSAPrivateCrtKeySpec spec) throws InvalidKeyException {
        try {
            KeyFactory f = KeyFactory.getInstance("RSA");
            PrivateKey priv = f.generatePrivate(spec);
            PublicKey pub = f.generatePublic(new RSAPublicKeySpec(spec.getModulus(), spec.getPublicExponent()));
            return new DkimSigningKey(priv, (RSAPublicKey) pub, null);
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("RSA key: " + e.getMessage(), e);
        }
    }

    /** rsa-sha256 or ed25519-sha256. */
    public DkimAlgorithm algorithm() {
        return algorithm;
    }

    /** The RSA modulus's bits, or 256 for Ed25519. */
    public int bits() {
        return rsaPublic != null ? rsaPublic.getModulus().bitLength() : 256;
    }

    /**
     * The TXT record to publish at {@code selector._domainkey.domain}: {@code v=DKIM1; k=rsa; p=} and the
     * SubjectPublicKeyInfo, or {@code k=ed25519} and the raw 32-octet key (RFC 8463 4). One string; DNS zone files
     * split a record longer than 255 characters into several quoted strings, which resolvers join again.
     */
    public String dnsRecord() {
        if (rsaPublic != null) {
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(rsaPublic.getEncoded());
        }
        return "v=DKIM1; k=ed25519; p="
                + Base64.getEncoder().encodeToString(ed25519.generatePublicKey().getEncoded());
    }

    /** The key as unencrypted PKCS#8 PEM, as {@link #fromPem} reads it. */
    public String toPem() {
        if (rsa != null) {
            return PemKeys.pem("PRIVATE KEY", rsa.getEncoded());
        }
        return PemKeys.ed25519Pem(ed25519.getEncoded());
    }

    /**
     * The signature over a signing input (RFC 6376 3.7): PKCS#1 v1.5 over it with SHA-256, or for Ed25519 PureEdDSA
     * over its SHA-256 hash (RFC 8463 3). CPU-bound (RSA-2048 takes about a millisecond): off the event loops.
     */
    byte[] sign(byte[] signingInput) {
        if (ed25519 != null) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, ed25519);
            byte[] hash = algorithm.newDigest().digest(signingInput);
            s.update(hash, 0, hash.length);
            return s.generateSignature();
        }
        try {
            Signature s = Signature.getInstance(algorithm.jcaSignature());
            s.initSign(rsa);
            s.update(signingInput);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA signing with a key that loaded", e);
        }
    }
}
