package dev.mta.relay.transport;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The transport for a route's transport name ("smtp"; "local" joins when local delivery comes). A route naming a
 * transport this process does not have is deferred with 4.3.5, not failed: it is our configuration that is wrong
 * (a route written for a transport not enabled here), which an operator can fix before the message expires,
 * while failing would bounce mail for our own mistake.
 */
public final class TransportSelector {
    private final Map<String, Transport> transports;

    private TransportSelector(Map<String, Transport> transports) {
        this.transports = transports;
    }

    /** Selects among {@code transports}, keyed by route transport name (lower case). */
    public static TransportSelector of(Map<String, Transport> transports) {
        Map<String, Transport> m = new LinkedHashMap<>();
        transports.forEach((name, t) -> m.put(name.toLowerCase(Locale.ROOT), t));
        return new TransportSelector(Collections.unmodifiableMap(m));
    }

    /** The transport for {@code route}, or one that defers every recipient when there is none. */
    public Transport select(Route route) {
        Transport t = transports.get(route.transport());
        return t != null ? t : this::unavailable;
    }

    private CompletableFuture<List<Outcome>> unavailable(Delivery d) {
        Outcome o = Outcome.deferred(EnhancedStatus.of(4, 3, 5), "mail transport unavailable: no transport \""
                + d.route().transport() + "\" for route " + d.route());
        return CompletableFuture.completedFuture(Collections.nCopies(d.recipients().size(), o));
    }

    /** Lets every transport close its idle connections. */
    public void closeIdle() {
        transports.values().forEach(Transport::closeIdle);
    }

    /** Closes every transport. */
    public void close() {
        transports.values().forEach(Transport::close);
    }
}
