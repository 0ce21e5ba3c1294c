package dev.mta.server;

import dev.mta.server.config.HostPort;
import dev.mta.server.config.TlsSettings;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.mta.server.OptionValues.parsed;

/**
 * Inbound TLS's command-line options (a picocli mixin of {@link MtaMain}): the certificate and key STARTTLS and
 * implicit TLS present, and the submission and smtps listeners. Each value's errors name its option.
 */
final class TlsOptions {
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain for STARTTLS and SMTPS, server certificate first; reread on SIGHUP (default: a self-signed one made in the spool)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert (PKCS#8, or PKCS#1/SEC1); reread on SIGHUP")
    Path tlsKey;

    @Option(names = "--submission-listen", paramLabel = "HOST:PORT[,...]",
            description = "Message submission listeners (port 587 style: STARTTLS offered, authentication required before MAIL), separated by commas (default: none)")
    String submissionListen;

    @Option(names = "--smtps-listen", paramLabel = "HOST:PORT[,...]",
            description = "Implicit-TLS listeners (port 465 style, RFC 8314: the TLS handshake first), separated by commas (default: none)")
    String smtpsListen;

    /** The settings these options describe; IllegalArgumentException naming the key when a value is bad. */
    TlsSettings settings() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("tls-cert and tls-key go together: give both or neither");
        }
        for (Path p : new Path[]{tlsCert, tlsKey}) {
            if (p != null && !Files.isReadable(p)) {
                throw new IllegalArgumentException((p == tlsCert ? "tls-cert" : "tls-key") + " cannot be read: " + p);
            }
        }
        return new TlsSettings(tlsCert, tlsKey, listen("submission-listen", submissionListen),
                listen("smtps-listen", smtpsListen));
    }

    private static List<InetSocketAddress> listen(String key, String value) {
        return value == null ? List.of() : parsed(key, () -> HostPort.parseList(value));
    }
}
