package dev.mta.relay.delivery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How the relay behaves.
 *
 * @param hostname          our name: EHLO, the DSN's Reporting-MTA, loop detection
 * @param maxConnections    outbound connections at once, all destinations together
 * @param maxPerDestination outbound connections at once to one destination
 * @param idleTimeout       how long an unused connection is kept for the next message to the same hop
 * @param maxReceived       a message with more Received headers than this is failed as a loop (5.4.6)
 * @param isOwnAddress      whether an address is one we listen on: a next hop there is ourselves (5.4.6)
 */
public record RelayConfig(String hostname, int maxConnections, int maxPerDestination, Duration idleTimeout,
                          int maxReceived, Predicate<InetSocketAddress> isOwnAddress) {
}
