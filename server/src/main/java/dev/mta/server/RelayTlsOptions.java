package dev.mta.server;

import dev.mta.relay.RelaySettings;
import dev.mta.relay.transport.smtp.CaCertificates;
import dev.mta.server.config.Defaults;
import dev.mta.server.config.FileErrors;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;

/**
 * The outbound TLS policy, the CAs its verify level trusts, and smarthost credentials (a picocli mixin of
 * {@link MtaMain}). A route with credentials whose policy is none or may is bad configuration: refused at start, in
 * one line naming the key; so is a CA file that cannot be read or holds no certificate.
 */
final class RelayTlsOptions {
    @Option(names = "--relay-tls-policy", paramLabel = "MAP", defaultValue = Defaults.RELAY_TLS_POLICY,
            description = "Outbound TLS per route, keyed as --transport-map or by next hop [host]:port: none, may (STARTTLS when offered, plain text if it fails),"
                    + " encrypt (TLS required, no certificate check), verify (TLS with a trusted certificate for the host name);"
                    + " e.g. example.com=verify,[smarthost.example]:587=encrypt (default: ${DEFAULT-VALUE})")
    String tlsPolicy;

    @Option(names = "--relay-tls-ca", paramLabel = "FILE",
            description = "PEM file of CA certificates that verify trusts instead of the JDK's default trust store, as Postfix's smtp_tls_CAfile;"
                    + " the host name is checked either way (default: the JDK's default trust store)")
    Path caFile;

    @Option(names = "--relay-auth", paramLabel = "FILE",
            description = "Smarthost credentials, one route a line: key user password (key as in --relay-tls-policy); AUTH PLAIN or LOGIN over TLS only; keep it chmod 600 (default: none)")
    Path authFile;

    /** {@code relay} with these options' TLS policy, CAs and credentials; IllegalArgumentException naming the key when bad. */
    RelaySettings applyTo(RelaySettings relay) {
        return relay.withOutboundSecurity(tlsPolicy, authFile).withTlsCa(caFile == null ? null : caCertificates(caFile));
    }

    /** The certificates of the --relay-tls-ca file, read now; IllegalArgumentException naming the key and the file. */
    private static CaCertificates caCertificates(Path file) {
        try {
            return CaCertificates.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("relay-tls-ca: cannot read " + file + ": " + FileErrors.why(e), e);
        } catch (CertificateException e) {
            // The parser's own words are at the bottom ("extra data at the end"), without its class names.
            Throwable why = e;
            while (why.getCause() != null) {
                why = why.getCause();
            }
            throw new IllegalArgumentException("relay-tls-ca: " + file + " holds a certificate that does not parse: "
                    + (why.getMessage() != null ? why.getMessage() : why.toString()), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("relay-tls-ca: " + e.getMessage(), e);
        }
    }
}
