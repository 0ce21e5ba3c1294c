package dev.mta.relay.transport.smtp;

import java.util.Locale;

/**
 * How a route's next hops must be talked to, as Postfix's smtp_tls_security_level: {@code none} never says STARTTLS;
 * {@code may} encrypts when STARTTLS is offered and retries the same hop in plain text when the handshake fails;
 * {@code encrypt} requires TLS without checking the certificate; {@code verify} requires TLS with a certificate the
 * trust store vouches for, issued to the next hop's host name. Under {@code encrypt} and {@code verify} no TLS means
 * the recipients are deferred, never sent in clear.
 */
public enum TlsLevel {
    NONE, MAY, ENCRYPT, VERIFY;

    /** Whether the mail may only go over TLS. */
    public boolean required() {
        return this == ENCRYPT || this == VERIFY;
    }

    public static TlsLevel parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS policy must be none, may, encrypt or verify, not " + text);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
