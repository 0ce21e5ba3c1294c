package dev.mta.mailauth.dkim;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * A key record's public key, ready to check signatures: RSA from p='s SubjectPublicKeyInfo (RFC 6376 3.6.1) or, as
 * some publish it and other verifiers accept, a bare PKCS#1 RSAPublicKey; Ed25519 from its 32 raw octets (RFC 8463 4).
 */
final class DkimPublicKey {
    private final RSAPublicKey rsa;
    private final Ed25519PublicKeyParameters ed25519;

    private DkimPublicKey(RSAPublicKey rsa, Ed25519PublicKeyParameters ed25519) {
        this.rsa = rsa;
        this.ed25519 = ed25519;
    }

    /** The key of type {@code keyType} ("rsa" or "ed25519") in {@code p}. */
    static DkimPublicKey decode(String keyType, byte[] p) throws DkimSyntaxException {
        if (keyType.equals("ed25519")) {
            if (p.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                throw new DkimSyntaxException("Ed25519 key of " + p.length + " octets");
            }
            return new DkimPublicKey(null, new Ed25519PublicKeyParameters(p, 0));
        }
        try {
            KeyFactory f = KeyFactory.getInstance("RSA");
            try {
                return new DkimPublicKey((RSAPublicKey) f.generatePublic(new X509EncodedKeySpec(p)), null);
            } catch (GeneralSecurityException | ClassCastException notSpki) {
                org.bouncycastle.asn1.pkcs.RSAPublicKey k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(p);
                RSAPublicKeySpec spec = new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent());
                return new DkimPublicKey((RSAPublicKey) f.generatePublic(spec), null);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DkimSyntaxException("p= is not an RSA public key");
        }
    }

    /** Whether {@code other} is the same public key: RSA's modulus and exponent, or Ed25519's 32 octets. */
    boolean sameKey(DkimPublicKey other) {
        if (rsa != null) {
            return other.rsa != null && rsa.getModulus().equals(other.rsa.getModulus())
                    && rsa.getPublicExponent().equals(other.rsa.getPublicExponent());
        }
        return other.ed25519 != null && java.util.Arrays.equals(ed25519.getEncoded(), other.ed25519.getEncoded());
    }

    /** The RSA modulus's bits, or 256 for Ed25519. */
    int bits() {
        return rsa != null ? rsa.getModulus().bitLength() : 256;
    }

    /** Whether {@code signature} is this key's over {@code signingInput}; false for any trouble with it. */
    boolean verify(DkimAlgorithm algorithm, byte[] signingInput, byte[] signature) {
        if (ed25519 != null) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, ed25519);
            byte[] hash = algorithm.newDigest().digest(signingInput);
            s.update(hash, 0, hash.length);
            try {
                return s.verifySignature(signature);
            } catch (RuntimeException malformed) {
                return false;
            }
        }
        try {
            Signature s = Signature.getInstance(algorithm.jcaSignature());
            s.initVerify(rsa);
            s.update(signingInput);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // SignatureException for a signature of the wrong length, among others
        }
    }
}
