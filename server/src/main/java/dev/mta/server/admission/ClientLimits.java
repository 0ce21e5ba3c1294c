package dev.mta.server.admission;

import dev.mta.server.config.Cidr;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Limits on each client address (an IPv6 client counts by its /64): connections open at once, and new connections
 * per minute (0: no limit); clients in {@code exceptions} are not counted (Postfix's
 * smtpd_client_event_limit_exceptions, by default the relay networks). {@code greetPause}: how long the SMTP listener
 * waits before its greeting, refusing clients that talk first (zero: no pause).
 */
public record ClientLimits(int maxConnectionsPerClient, int connectionsPerMinute, List<Cidr> exceptions,
                           Duration greetPause) {
    /** The longest greeting pause allowed: clients give up on a greeting after 5 minutes (RFC 5321 4.5.3.2.1). */
    public static final Duration MAX_GREET_PAUSE = Duration.ofSeconds(60);
    // After MAX_GREET_PAUSE: the constructor reads it.
    /** No limits and no pause: what tests and embedded servers get unless they ask. */
    public static final ClientLimits NONE = new ClientLimits(0, 0, List.of(), Duration.ZERO);

    public ClientLimits {
        exceptions = List.copyOf(exceptions);
        if (maxConnectionsPerClient < 0) {
            throw new IllegalArgumentException("max-connections-per-client must be at least 0, not " + maxConnectionsPerClient);
        }
        if (connectionsPerMinute < 0) {
            throw new IllegalArgumentException("max-connection-rate must be at least 0, not " + connectionsPerMinute);
        }
        if (greetPause.isNegative() || greetPause.compareTo(MAX_GREET_PAUSE) > 0) {
            throw new IllegalArgumentException("greet-pause must be from 0 to " + MAX_GREET_PAUSE.toSeconds()
                    + " seconds, not " + greetPause.toMillis() / 1000.0);
        }
    }

    /** Whether any per-client limit applies. */
    public boolean limitsClients() {
        return maxConnectionsPerClient > 0 || connectionsPerMinute > 0;
    }

    /** Whether {@code client} is one of the exceptions, never counted. */
    public boolean isException(InetAddress client) {
        for (Cidr c : exceptions) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
