package dev.mta.relay.transport.smtp;

/**
 * What a connection to one next hop must do: its TLS level, and the credentials to authenticate with (null: none).
 * Credentials are only ever sent over TLS.
 */
public record HopSecurity(TlsLevel level, Credentials credentials) {
    /** Opportunistic TLS, no authentication: the default. */
    public static final HopSecurity MAY = new HopSecurity(TlsLevel.MAY, null);

    public HopSecurity {
        if (level == null) {
            throw new IllegalArgumentException("a TLS level is required");
        }
        if (credentials != null && !level.required()) {
            throw new IllegalArgumentException("credentials need TLS policy encrypt or verify, not " + level);
        }
    }

    @Override
    public String toString() {
        return level + (credentials == null ? "" : " with AUTH as " + credentials.user());
    }
}
