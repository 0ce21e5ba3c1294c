package dev.mta.mailauth.dkim;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Base64;

/**
 * Private keys in PEM: PKCS#8 ("PRIVATE KEY", RSA or Ed25519, as {@code openssl genpkey} writes them) and PKCS#1
 * ("RSA PRIVATE KEY", the older RSA form RFC 8463's example key has), read with BouncyCastle's ASN.1 classes;
 * written as PKCS#8.
 */
final class PemKeys {
    static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112"); // RFC 8410

    /** An RSA key's numbers, or an Ed25519 key's 32-octet secret: one of the two is set. */
    record Decoded(RSAPrivateCrtKeySpec rsa, byte[] ed25519) {
    }

    private PemKeys() {
    }

    static Decoded read(String pem) throws InvalidKeyException {
        String type = label(pem);
        byte[] der = body(pem, type);
        try {
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(PrivateKeyInfo.getInstance(der));
                case "RSA PRIVATE KEY" -> new Decoded(rsa(RSAPrivateKey.getInstance(der)), null);
                case "ENCRYPTED PRIVATE KEY" -> throw new InvalidKeyException("encrypted keys are not supported");
                default -> throw new InvalidKeyException("not a private key: " + type);
            };
        } catch (IllegalArgumentException | ClassCastException | IOException e) {
            throw new InvalidKeyException("malformed " + type + ": " + e.getMessage(), e);
        }
    }

    private static Decoded pkcs8(PrivateKeyInfo info) throws IOException, InvalidKeyException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return new Decoded(rsa(RSAPrivateKey.getInstance(info.parsePrivateKey())), null);
        }
        if (algorithm.equals(ED25519)) {
            byte[] secret = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            if (secret.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
                throw new InvalidKeyException("Ed25519 key of " + secret.length + " octets");
            }
            return new Decoded(null, secret);
        }
        throw new InvalidKeyException("neither RSA nor Ed25519: " + algorithm.getId());
    }

    private static RSAPrivateCrtKeySpec rsa(RSAPrivateKey k) {
        return new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(), k.getCoefficient());
    }

    /** PKCS#8 PEM of an Ed25519 secret. */
    static String ed25519Pem(byte[] secret) {
        try {
            byte[] der = new PrivateKeyInfo(new AlgorithmIdentifier(ED25519), new DEROctetString(secret)).getEncoded();
            return pem("PRIVATE KEY", der);
        } catch (IOException e) {
            throw new IllegalStateException("DER of a fixed structure", e);
        }
    }

    static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static String label(String pem) throws InvalidKeyException {
        int begin = pem.indexOf("-----BEGIN ");
        int end = begin < 0 ? -1 : pem.indexOf("-----", begin + 11);
        if (end < 0) {
            throw new InvalidKeyException("no PEM BEGIN line");
        }
        return pem.substring(begin + 11, end);
    }

    private static byte[] body(String pem, String type) throws InvalidKeyException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin) + begin.length();
        int to = pem.indexOf(end, from);
        if (to < 0) {
            throw new InvalidKeyException("no PEM END line for " + type);
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from, to).strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("PEM body is not base64", e);
        }
    }
}
