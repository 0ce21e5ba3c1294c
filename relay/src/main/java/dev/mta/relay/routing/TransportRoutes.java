package dev.mta.relay.routing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The transport map in force. The router reads it at every lookup, so a reload (SIGHUP, off the event loops) that
 * swaps in a new map applies at once, to mail already queued too; a lookup sees the old map or the new one whole.
 */
public final class TransportRoutes {
    private final AtomicReference<TransportMap> map;

    private TransportRoutes(TransportMap map) {
        this.map = new AtomicReference<>(map);
    }

    /** Starting with {@code map}. */
    public static TransportRoutes of(TransportMap map) {
        if (map == null) {
            throw new IllegalArgumentException("no transport map");
        }
        return new TransportRoutes(map);
    }

    /** The map in force. */
    public TransportMap current() {
        return map.get();
    }

    /** Puts {@code next} in force for every lookup from now on. */
    public void replace(TransportMap next) {
        if (next == null) {
            throw new IllegalArgumentException("no transport map");
        }
        map.set(next);
    }
}
