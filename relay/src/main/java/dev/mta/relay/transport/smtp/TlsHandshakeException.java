package dev.mta.relay.transport.smtp;

/** The TLS handshake after STARTTLS failed; opportunistic TLS then tries the same hop again in plain text. */
public final class TlsHandshakeException extends Exception {
    public TlsHandshakeException(String peer, Throwable cause) {
        super("TLS handshake with " + peer + " failed: " + (cause == null ? "" : cause.getMessage()), cause);
    }
}
