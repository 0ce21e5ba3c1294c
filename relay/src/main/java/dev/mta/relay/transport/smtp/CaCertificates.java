package dev.mta.relay.transport.smtp;

import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CA certificates the {@code verify} level trusts instead of the JDK's default trust store, read from a PEM file
 * (Postfix's smtp_tls_CAfile with tls_append_default_CA = no): each certificate in it is a trust anchor.
 *
 * @param file         where they were read from, for messages
 * @param certificates the certificates, in the file's order; never empty
 */
public record CaCertificates(Path file, List<X509Certificate> certificates) {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final Pattern PEM_BLOCK = Pattern.compile(BEGIN + "\\R[^-]*?-----END CERTIFICATE-----");

    public CaCertificates {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no certificate (no PEM block " + BEGIN + ")");
        }
    }

    /**
     * Every certificate in {@code file}, a PEM file: its CERTIFICATE blocks, whatever is around them (comments, as in
     * the bundles distributions ship, or a key) ignored. IOException when the file cannot be read,
     * CertificateException when a block does not parse, IllegalArgumentException when there is no certificate.
     */
    public static CaCertificates read(Path file) throws IOException, CertificateException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        StringBuilder blocks = new StringBuilder();
        int found = 0;
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            blocks.append(m.group()).append('\n');
            found++;
        }
        if (found != text.split(BEGIN, -1).length - 1) {
            throw new CertificateException("a " + BEGIN + " block is cut short or broken");
        }
        List<X509Certificate> out = new ArrayList<>();
        // Only blocks go to the JDK's parser: it would take a key block for a broken certificate.
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (Certificate c : x509.generateCertificates(
                new ByteArrayInputStream(blocks.toString().getBytes(StandardCharsets.ISO_8859_1)))) {
            out.add((X509Certificate) c);
        }
        return new CaCertificates(file, out);
    }

    /** A trust manager factory that trusts these certificates and nothing else (no JDK default CA added). */
    public TrustManagerFactory trustManagers() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null); // in memory only
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store of " + file, e);
        }
    }

    @Override
    public String toString() {
        return certificates.size() + " CA certificate" + (certificates.size() == 1 ? "" : "s") + " of " + file;
    }
}
