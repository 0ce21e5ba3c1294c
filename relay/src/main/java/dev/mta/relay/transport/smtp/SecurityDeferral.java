package dev.mta.relay.transport.smtp;

import dev.mta.protocol.reply.EnhancedStatus;

/**
 * A next hop that cannot be given the mail as the route's security asks: TLS required but not offered or not
 * established, or authentication refused or not offered. The recipients are deferred with {@link #status()}.
 */
public final class SecurityDeferral extends Exception {
    private final EnhancedStatus status;

    public SecurityDeferral(EnhancedStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public EnhancedStatus status() {
        return status;
    }
}
