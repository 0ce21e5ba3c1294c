package dev.mta.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's TLS context for STARTTLS and implicit TLS: the configured PEM chain and key, or else a self-signed
 * certificate kept in the spool directory ({@link SelfSignedCertificate}). TLS 1.2 and 1.3 only, with the JDK's
 * cipher suites as Netty filters them. Loading reads the disk, so it happens at start and on reload (SIGHUP), never
 * on an event loop; a reload builds a whole new context and swaps it in atomically, and a bad one keeps the old.
 * Sessions take {@link #current()} when their handshake starts.
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    static {
        // A client may not ask for a TLS 1.2 renegotiation: each costs the server a full handshake's CPU. Read by the
        // JDK when its server-side handshake classes load, so set before the first context; an operator's -D wins.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final Path cert;
    private final Path key;
    private final Path selfSignedDir;
    private final String hostname;
    private final AtomicReference<SslContext> current = new AtomicReference<>();

    private TlsContexts(Path cert, Path key, Path selfSignedDir, String hostname) {
        this.cert = cert;
        this.key = key;
        this.selfSignedDir = selfSignedDir;
        this.hostname = hostname;
    }

    /**
     * Loads {@code cert} and {@code key} (PEM), or, when both are null, the self-signed certificate in
     * {@code selfSignedDir}, made there first if need be. IllegalArgumentException when they cannot be used.
     */
    public static TlsContexts load(Path cert, Path key, Path selfSignedDir, String hostname) {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("tls-cert and tls-key go together: give both or neither");
        }
        TlsContexts t = new TlsContexts(cert, key, selfSignedDir, hostname);
        t.current.set(t.build());
        log.info("TLS with {}", t.describe());
        return t;
    }

    /** Builds the context again from the files and swaps it in; false (the old one kept) when that fails. */
    public boolean reload() {
        try {
            current.set(build());
            log.info("TLS certificate reloaded: {}", describe());
            return true;
        } catch (RuntimeException e) {
            log.error("TLS certificate not reloaded, the previous one stays in use: {}", e.getMessage());
            return false;
        }
    }

    /** The context in force: each new handshake uses it. */
    public SslContext current() {
        return current.get();
    }

    /** Whether the certificate is our own self-signed one (no --tls-cert). */
    public boolean selfSigned() {
        return cert == null;
    }

    private String describe() {
        return selfSigned() ? "a self-signed certificate (" + selfSignedDir.resolve(SelfSignedCertificate.CERT_FILE) + ")"
                : "certificate " + cert + ", key " + key;
    }

    private SslContext build() {
        Path c = cert;
        Path k = key;
        if (c == null) {
            c = SelfSignedCertificate.ensure(selfSignedDir, hostname);
            k = SelfSignedCertificate.keyOf(selfSignedDir);
        }
        try {
            return SslContextBuilder.forServer(c.toFile(), k.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tls-cert " + c + " / tls-key " + k + " cannot be used: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
