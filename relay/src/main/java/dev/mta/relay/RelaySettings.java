package dev.mta.relay;

import dev.mta.relay.bounce.BounceSettings;
import dev.mta.relay.transport.smtp.CaCertificates;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.HopHealth;
import dev.mta.relay.transport.smtp.OutboundSecurity;

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
 * @param bounces           how much of a failed message its DSN returns, and where a failed DSN is told
 * @param hopBackoff        how long a next-hop address that does not answer is left alone (see {@link HopHealth})
 * @param tlsPolicy         the outbound TLS level per route: "example.com=verify,[smarthost.example]:587=encrypt,*=may"
 *                          (see {@link OutboundSecurity}); empty: may everywhere
 * @param authFile          the smarthost credentials, "key user password" a line, or null for none
 * @param tlsCa             the CA certificates the verify level trusts instead of the JDK's default trust store, or
 *                          null for that store
 */
public record RelaySettings(boolean enabled, String transportMap, InetSocketAddress dnsServer, int smtpPort,
                            int maxConnections, int maxPerDestination, Duration idleTimeout, int maxReceived,
                            ClientTimeouts timeouts, BounceSettings bounces, HopHealth.Backoff hopBackoff,
                            String tlsPolicy, java.nio.file.Path authFile, CaCertificates tlsCa) {
    // The relay's defaults, written once here; the server's Defaults (the command line, its help) refers to them.
    public static final String DEFAULT_TRANSPORT_MAP = "";
    public static final int DEFAULT_PORT = 25;
    public static final int DEFAULT_MAX_CONNECTIONS = 100;
    public static final int DEFAULT_MAX_PER_DESTINATION = 20;
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_MAX_RECEIVED = 50;
    /** Opportunistic TLS for every route. */
    public static final String DEFAULT_TLS_POLICY = "*=may";

    /** The embedded defaults: relay on, routes from DNS, RFC 5321's timeouts. */
    public static final RelaySettings DEFAULT = new RelaySettings(true, DEFAULT_TRANSPORT_MAP, null, DEFAULT_PORT,
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PER_DESTINATION, Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS),
            DEFAULT_MAX_RECEIVED, ClientTimeouts.RFC_5321, BounceSettings.DEFAULT, HopHealth.Backoff.DEFAULT,
            DEFAULT_TLS_POLICY, null, null);

    /** Settings with the default bounce settings and back-off of next hops that do not answer. */
    public RelaySettings(boolean enabled, String transportMap, InetSocketAddress dnsServer, int smtpPort,
                         int maxConnections, int maxPerDestination, Duration idleTimeout, int maxReceived,
                         ClientTimeouts timeouts) {
        this(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination, idleTimeout, maxReceived,
                timeouts, BounceSettings.DEFAULT, HopHealth.Backoff.DEFAULT, DEFAULT_TLS_POLICY, null, null);
    }

    /** Settings with RFC 5321's timeouts. */
    public RelaySettings(boolean enabled, String transportMap, InetSocketAddress dnsServer, int smtpPort,
                         int maxConnections, int maxPerDestination, Duration idleTimeout, int maxReceived) {
        this(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination, idleTimeout, maxReceived,
                ClientTimeouts.RFC_5321);
    }

    /** Queue only, deliver nothing. */
    public static final RelaySettings OFF = DEFAULT.routed(false, "");

    public RelaySettings {
        if (bounces == null || hopBackoff == null) {
            throw new IllegalArgumentException("bounce settings and the next hops' back-off are required");
        }
        atLeast("max-outbound-connections", maxConnections, 1);
        atLeast("max-per-destination", maxPerDestination, 1);
        atLeast("max-received-headers", maxReceived, 1);
        atLeast("relay-port", smtpPort, 1);
        atMost("relay-port", smtpPort, 65535);
    }

    /** Everything to one smarthost, otherwise the defaults. */
    public static RelaySettings smarthost(InetSocketAddress target) {
        String host = target.getAddress() != null ? target.getAddress().getHostAddress() : target.getHostString();
        return DEFAULT.routed(true, "*=" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + target.getPort());
    }

    /** These settings with other client timeouts. */
    public RelaySettings withTimeouts(ClientTimeouts t) {
        return new RelaySettings(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination,
                idleTimeout, maxReceived, t, bounces, hopBackoff, tlsPolicy, authFile, tlsCa);
    }

    /** These settings with other bounce settings (DSN size limit, double-bounce address). */
    public RelaySettings withBounces(BounceSettings b) {
        return new RelaySettings(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination,
                idleTimeout, maxReceived, timeouts, b, hopBackoff, tlsPolicy, authFile, tlsCa);
    }

    /** These settings with another back-off for next hops that do not answer. */
    public RelaySettings withHopBackoff(HopHealth.Backoff b) {
        return new RelaySettings(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination,
                idleTimeout, maxReceived, timeouts, bounces, b, tlsPolicy, authFile, tlsCa);
    }

    private RelaySettings routed(boolean on, String routes) {
        return new RelaySettings(on, routes, dnsServer, smtpPort, maxConnections, maxPerDestination, idleTimeout,
                maxReceived, timeouts, bounces, hopBackoff, tlsPolicy, authFile, tlsCa);
    }

    /**
     * These settings with another outbound TLS policy and credentials file; IllegalArgumentException naming the key
     * when the policy is bad, the file unreadable, or a route with credentials is not encrypt or verify.
     */
    public RelaySettings withOutboundSecurity(String policy, java.nio.file.Path credentials) {
        OutboundSecurity.of(policy, credentials);
        return new RelaySettings(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination,
                idleTimeout, maxReceived, timeouts, bounces, hopBackoff, policy, credentials, tlsCa);
    }

    /** These settings with the verify level trusting {@code cas} only (null: the JDK's default trust store). */
    public RelaySettings withTlsCa(CaCertificates cas) {
        return new RelaySettings(enabled, transportMap, dnsServer, smtpPort, maxConnections, maxPerDestination,
                idleTimeout, maxReceived, timeouts, bounces, hopBackoff, tlsPolicy, authFile, cas);
    }

    /** The outbound TLS policy and credentials, read (the file again) and checked. */
    public OutboundSecurity outboundSecurity() {
        return OutboundSecurity.of(tlsPolicy, authFile);
    }

    // The same words as the server's range checks: each failure names the option.
    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
        }
    }

    private static void atMost(String key, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException(key + " must be at most " + max + ", not " + value);
        }
    }
}
