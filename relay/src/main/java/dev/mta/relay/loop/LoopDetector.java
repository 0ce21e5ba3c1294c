package dev.mta.relay.loop;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every way the relay tells that mail would go round in a loop (5.4.6): too many Received headers, a next hop at
 * an address we listen on, a next hop that greets with our own name.
 */
public final class LoopDetector {
    private static final EnhancedStatus LOOP = EnhancedStatus.of(5, 4, 6);

    private final String hostname;
    private final int maxReceived;
    private final Predicate<InetSocketAddress> isOwnAddress;

    /**
     * @param hostname     our name: a peer greeting with it is us
     * @param maxReceived  a message with more Received headers than this is a loop
     * @param isOwnAddress whether an address is one we listen on
     */
    public LoopDetector(String hostname, int maxReceived, Predicate<InetSocketAddress> isOwnAddress) {
        this.hostname = hostname;
        this.maxReceived = maxReceived;
        this.isOwnAddress = isOwnAddress;
    }

    /** Loops only by name and Received count, never by address (tests, tools). */
    public static LoopDetector byNameOnly(String hostname, int maxReceived) {
        return new LoopDetector(hostname, maxReceived, a -> false);
    }

    /** The failure for a message with too many Received headers, or null. */
    public Outcome tooManyHops(String headers) {
        int received = receivedCount(headers);
        return received > maxReceived ? Outcome.failed(LOOP, "mail loop: " + received + " Received headers") : null;
    }

    /** The failure when next hop {@code hop} (for {@code nexthop}) is an address we listen on, or null. */
    public Outcome loopsBack(String nexthop, InetSocketAddress address, String hop) {
        return isOwnAddress.test(address)
                ? Outcome.failed(LOOP, "mail for " + nexthop + " loops back to myself (" + hop + ")") : null;
    }

    /** The failure for a loop found while talking to a next hop (it greeted with our name). */
    public static Outcome detected(LoopDetectedException e) {
        return Outcome.failed(LOOP, e.getMessage());
    }

    /** The exception when {@code peer} greets as {@code greetingName} and that is {@code ourName}, or null. */
    public static LoopDetectedException greetsAsUs(String greetingName, String ourName, String peer) {
        return greetingName.equalsIgnoreCase(ourName)
                ? new LoopDetectedException("mail for " + peer + " loops back to myself (it greets as " + greetingName + ")")
                : null;
    }

    /** How many Received: headers a header section has. */
    static int receivedCount(String headers) {
        // Line by line in place: no array of lines, no pattern, for every delivery.
        int count = 0;
        for (int start = 0; start < headers.length(); ) {
            if (headers.regionMatches(true, start, "Received:", 0, 9)) {
                count++;
            }
            int end = headers.indexOf("\r\n", start);
            if (end < 0) {
                break;
            }
            start = end + 2;
        }
        return count;
    }

    /** Whether an address is {@code listening}, or any local address on its port when that is a wildcard. */
    public static Predicate<InetSocketAddress> listeningOn(InetSocketAddress listening) {
        return hop -> isOurs(hop, listening);
    }

    /** Whether an address is one of {@code listeners} (as {@link #listeningOn(InetSocketAddress)} says for each). */
    public static Predicate<InetSocketAddress> listeningOn(List<InetSocketAddress> listeners) {
        List<InetSocketAddress> all = List.copyOf(listeners);
        return hop -> all.stream().anyMatch(l -> isOurs(hop, l));
    }

    private static boolean isOurs(InetSocketAddress hop, InetSocketAddress listening) {
        if (hop.getPort() != listening.getPort()) {
            return false;
        }
        InetAddress ours = listening.getAddress();
        if (ours == null || ours.isAnyLocalAddress()) {
            try {
                return hop.getAddress().isLoopbackAddress() || NetworkInterface.getByInetAddress(hop.getAddress()) != null;
            } catch (SocketException e) {
                return false;
            }
        }
        return ours.equals(hop.getAddress());
    }
}
