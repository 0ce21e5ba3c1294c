package dev.mta.server.config;

import dev.mta.relay.client.ClientTimeouts;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The relay part of the configuration.
 *
 * @param enabled           whether queued mail is delivered at all (off: accept and queue only)
 * @param transportMap      routes that win over DNS: "example.com=host:port,*=smarthost:25"
 * @param dnsServer         the DNS server to ask, or null for the system's resolvers
 * @param smtpPort          the port of next hops found through DNS
 * @param maxConnections    outbound connections at once
 * @param maxPerDestination outbound connections at once to one destination
 * @param idleTimeout       how long an unused outbound connection is kept for reuse
 * @param maxReceived       Received headers past which a message is failed as a loop
 * @param timeouts          how long the client waits at each step of a transaction (RFC 5321 4.5.3.2)
 */
public record RelaySettings(boolean enabled, String transportMap, InetSocketAddress dnsServer, int smtpPort,
                            int maxConnections, int maxPerDestination, Duration idleTimeout, int maxReceived,
                            ClientTimeouts timeouts) {
    /** The embedded defaults ({@link Defaults}): relay on, routes from DNS. */
    public static final RelaySettings DEFAULT = new RelaySettings(true, Defaults.TRANSPORT_MAP, null, Defaults.RELAY_PORT,
            Defaults.MAX_OUTBOUND_CONNECTIONS, Defaults.MAX_PER_DESTINATION,
            Duration.ofSeconds(Defaults.OUTBOUND_IDLE_TIMEOUT_SECONDS), Defaults.MAX_RECEIVED_HEADERS,
            Defaults.relayTimeouts());

    /** Settings with RFC 5321's timeouts. */
    public RelaySettings(boolean enabled, String transportMap, InetSocketAddress dnsServer, int smtpPort,
                         int maxConnections, int maxPerDestination, Duration idleTimeout, int maxReceived) {
        this(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination, idleTimeout, maxReceived,
                ClientTimeouts.RFC_5321);
    }

    /** Queue only, deliver nothing. */
    public static final RelaySettings OFF = DEFAULT.routed(false, "");

    public RelaySettings {
        Limits.atLeast("max-outbound-connections", maxConnections, 1);
        Limits.atLeast("max-per-destination", maxPerDestination, 1);
        Limits.atLeast("max-received-headers", maxReceived, 1);
        Limits.between("relay-port", smtpPort, 1, 65535);
    }

    /** Everything to one smarthost, otherwise the defaults. */
    public static RelaySettings smarthost(InetSocketAddress target) {
        return DEFAULT.routed(true, "*=" + HostPort.format(target));
    }

    /** These settings with other client timeouts. */
    public RelaySettings withTimeouts(ClientTimeouts t) {
        return new RelaySettings(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination,
                idleTimeout, maxReceived, t);
    }

    private RelaySettings routed(boolean on, String routes) {
        return new RelaySettings(on, routes, dnsServer, smtpPort, maxConnections, maxPerDestination, idleTimeout,
                maxReceived, timeouts);
    }
}
