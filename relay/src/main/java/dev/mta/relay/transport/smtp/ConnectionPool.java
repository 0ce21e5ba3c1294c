package dev.mta.relay.transport.smtp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Open connections waiting for the next message to the same next hop; idle ones are closed after a while. */
final class ConnectionPool<C extends ConnectionPool.Pooled> {
    /** What the pool needs of a connection (an interface so the pool is tested without sockets). */
    interface Pooled {
        boolean isActive();

        /** Says goodbye and closes, without waiting. */
        void quit();
    }

    private record Idle<C>(C connection, long since) {
    }

    private final Map<InetSocketAddress, ArrayDeque<Idle<C>>> idle = new HashMap<>();
    private final LongSupplier nanoTime;

    ConnectionPool() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock idle times are measured with (tests move it by hand) */
    ConnectionPool(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The most recently given connection to {@code hop} that is still open, or null. */
    synchronized C take(InetSocketAddress hop) {
        ArrayDeque<Idle<C>> q = idle.get(hop);
        while (q != null && !q.isEmpty()) {
            Idle<C> i = q.pollLast();
            if (i.connection().isActive()) {
                return i.connection();
            }
        }
        return null;
    }

    synchronized void give(InetSocketAddress hop, C c) {
        idle.computeIfAbsent(hop, h -> new ArrayDeque<>()).addLast(new Idle<>(c, nanoTime.getAsLong()));
    }

    /** Says QUIT to connections idle longer than {@code timeout}; returns how many. */
    int closeIdle(Duration timeout) {
        List<C> stale = new ArrayList<>();
        long limit = nanoTime.getAsLong() - timeout.toNanos();
        synchronized (this) {
            for (Iterator<ArrayDeque<Idle<C>>> it = idle.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Idle<C>> q = it.next();
                while (!q.isEmpty() && (q.peekFirst().since() < limit || !q.peekFirst().connection().isActive())) {
                    stale.add(q.pollFirst().connection());
                }
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
        stale.forEach(Pooled::quit);
        return stale.size();
    }

    void closeAll() {
        closeIdle(Duration.ZERO.minusSeconds(1));
    }
}
