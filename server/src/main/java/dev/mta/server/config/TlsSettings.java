package dev.mta.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Inbound TLS: the certificate chain and key (PEM; both null: a self-signed certificate kept in the spool), and the
 * optional listeners beside {@code --smtp-listen}: submission (STARTTLS, AUTH before MAIL) and smtps (implicit TLS).
 */
public record TlsSettings(Path cert, Path key, InetSocketAddress submissionListen, InetSocketAddress smtpsListen) {
    /** STARTTLS with a self-signed certificate, no further listeners. */
    public static final TlsSettings DEFAULT = new TlsSettings(null, null, null, null);

    public TlsSettings {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("tls-cert and tls-key go together: give both or neither");
        }
    }
}
