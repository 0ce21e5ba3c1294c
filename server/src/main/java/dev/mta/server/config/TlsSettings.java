package dev.mta.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Inbound TLS: the certificate chain and key (PEM; both null: a self-signed certificate kept in the spool), and the
 * optional listeners beside {@code --smtp-listen}: submission (STARTTLS, AUTH before MAIL) and smtps (implicit TLS),
 * each none, one or several addresses.
 */
public record TlsSettings(Path cert, Path key, List<InetSocketAddress> submissionListeners,
                          List<InetSocketAddress> smtpsListeners) {
    /** STARTTLS with a self-signed certificate, no further listeners. */
    public static final TlsSettings DEFAULT = new TlsSettings(null, null, List.of(), List.of());

    /** At most one submission and one smtps listener (null: none). */
    public TlsSettings(Path cert, Path key, InetSocketAddress submissionListen, InetSocketAddress smtpsListen) {
        this(cert, key, submissionListen == null ? List.of() : List.of(submissionListen),
                smtpsListen == null ? List.of() : List.of(smtpsListen));
    }

    public TlsSettings {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("tls-cert and tls-key go together: give both or neither");
        }
        submissionListeners = submissionListeners == null ? List.of() : List.copyOf(submissionListeners);
        smtpsListeners = smtpsListeners == null ? List.of() : List.copyOf(smtpsListeners);
    }

    /** The first submission listen address, or null for none. */
    public InetSocketAddress submissionListen() {
        return submissionListeners.isEmpty() ? null : submissionListeners.get(0);
    }

    /** The first smtps listen address, or null for none. */
    public InetSocketAddress smtpsListen() {
        return smtpsListeners.isEmpty() ? null : smtpsListeners.get(0);
    }
}
