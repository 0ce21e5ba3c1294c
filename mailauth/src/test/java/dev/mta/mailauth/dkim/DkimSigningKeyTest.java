package dev.mta.mailauth.dkim;

import dev.mta.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading keys from PEM (ours and OpenSSL's) and the records that publish them. */
class DkimSigningKeyTest {
    @TempDir
    Path dir;

    @Test
    void pemRoundTrips() throws Exception {
        for (DkimSigningKey key : List.of(TestMessages.RSA, TestMessages.ED25519)) {
            Path file = Files.writeString(dir.resolve(key.algorithm().tag() + ".pem"), key.toPem());
            DkimSigningKey back = load(file);
            assertEquals(key.algorithm(), back.algorithm());
            assertEquals(key.dnsRecord(), back.dnsRecord());
            assertArrayEquals(key.sign(new byte[] {1, 2, 3}), back.sign(new byte[] {1, 2, 3})); // both deterministic
        }
        assertTrue(TestMessages.RSA.dnsRecord().startsWith("v=DKIM1; k=rsa; p=MIIBIjAN"));
        assertEquals(2048, TestMessages.RSA.bits());
        assertTrue(TestMessages.ED25519.dnsRecord().matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}="));
    }

    @Test
    void keysOpenSslMakes() throws Exception {
        String openssl = Peers.require("openssl");
        for (String algorithm : List.of("RSA", "ED25519")) {
            Path key = dir.resolve(algorithm + ".pem");
            Path pub = dir.resolve(algorithm + ".pub.der");
            run(openssl, "genpkey", "-algorithm", algorithm, "-out", key.toString());
            run(openssl, "pkey", "-in", key.toString(), "-pubout", "-outform", "DER", "-out", pub.toString());
            byte[] spki = Files.readAllBytes(pub);
            DkimSigningKey k = load(key);
            String p = k.dnsRecord().substring(k.dnsRecord().indexOf("p=") + 2);
            if (algorithm.equals("RSA")) {
                assertEquals(Base64.getEncoder().encodeToString(spki), p);
            } else {
                // An Ed25519 SubjectPublicKeyInfo is a fixed 12-octet prefix and the 32-octet key.
                byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                assertEquals(Base64.getEncoder().encodeToString(raw), p);
            }
        }
        Path traditional = dir.resolve("rsa1.pem");
        run(openssl, "genrsa", "-traditional", "-out", traditional.toString(), "1024");
        assertTrue(Files.readString(traditional).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(1024, load(traditional).bits());
    }

    @Test
    void badKeysAreRefusedClearly() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        String ecPem = PemKeys.pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded());
        for (String pem : List.of("", "not a key", ecPem, PemKeys.pem("ENCRYPTED PRIVATE KEY", new byte[] {48, 0}),
                PemKeys.pem("CERTIFICATE", new byte[] {48, 0}), PemKeys.pem("PRIVATE KEY", new byte[] {1, 2, 3}),
                "-----BEGIN PRIVATE KEY-----\nMIIB\n")) {
            assertThrows(InvalidKeyException.class, () -> DkimSigningKey.fromPem(pem), pem);
        }
        assertThrows(InvalidKeyException.class, () -> DkimSigningKey.fromEd25519Secret(new byte[31]));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    private static DkimSigningKey load(Path pemFile) throws Exception {
        return DkimSigningKey.fromPem(Files.readString(pemFile));
    }
}
