package dev.mta.interop;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A certificate authority of the test's own, and server certificates it issues, as PEM files that Postfix, Exim and
 * this MTA read alike (RSA-2048, the key in PKCS#8).
 */
final class TestCa {
    private final KeyPair key;
    private final X509CertificateHolder cert;
    private final Path dir;

    private TestCa(KeyPair key, X509CertificateHolder cert, Path dir) {
        this.key = key;
        this.cert = cert;
        this.dir = dir;
    }

    /** A new CA whose certificate is {@code dir/ca.pem}. */
    static TestCa create(Path dir) throws Exception {
        KeyPair pair = rsa();
        X500Name name = new X500Name("CN=mta interop test CA");
        JcaX509v3CertificateBuilder b = builder(name, name, pair);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509CertificateHolder cert = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
        TestCa ca = new TestCa(pair, cert, dir);
        Files.writeString(ca.caFile(), pem("CERTIFICATE", cert.getEncoded()));
        return ca;
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** A server certificate for {@code host}: {@code dir/host.pem} and {@code dir/host.key}. */
    Path issue(String host) throws Exception {
        KeyPair pair = rsa();
        JcaX509v3CertificateBuilder b = builder(cert.getSubject(), new X500Name("CN=" + host), pair);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        X509CertificateHolder leaf = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
        Files.writeString(dir.resolve(host + ".key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Path file = dir.resolve(host + ".pem");
        Files.writeString(file, pem("CERTIFICATE", leaf.getEncoded()));
        return file;
    }

    static Path keyOf(Path certFile) {
        String name = certFile.getFileName().toString();
        return certFile.resolveSibling(name.substring(0, name.length() - ".pem".length()) + ".key");
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                pair.getPublic());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        return gen.generateKeyPair();
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(new PemObject(type, der));
        }
        return s.toString();
    }
}
