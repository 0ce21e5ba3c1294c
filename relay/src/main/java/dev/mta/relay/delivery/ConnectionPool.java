package dev.mta.relay.delivery;

import dev.mta.relay.transport.smtp.SmtpClientConnection;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Open connections waiting for the next message to the same next hop; idle ones are closed after a while. */
final class ConnectionPool {
    private record Idle(SmtpClientConnection connection, long since) {
    }

    private final Map<InetSocketAddress, ArrayDeque<Idle>> idle = new HashMap<>();

    synchronized SmtpClientConnection take(InetSocketAddress hop) {
        ArrayDeque<Idle> q = idle.get(hop);
        while (q != null && !q.isEmpty()) {
            Idle i = q.pollLast();
            if (i.connection().isActive()) {
                return i.connection();
            }
        }
        return null;
    }

    synchronized void give(InetSocketAddress hop, SmtpClientConnection c) {
        idle.computeIfAbsent(hop, h -> new ArrayDeque<>()).addLast(new Idle(c, System.nanoTime()));
    }

    /** Says QUIT to connections idle longer than {@code timeout}; returns how many. */
    int closeIdle(Duration timeout) {
        List<SmtpClientConnection> stale = new ArrayList<>();
        long limit = System.nanoTime() - timeout.toNanos();
        synchronized (this) {
            for (Iterator<ArrayDeque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Idle> q = it.next();
                while (!q.isEmpty() && (q.peekFirst().since() < limit || !q.peekFirst().connection().isActive())) {
                    stale.add(q.pollFirst().connection());
                }
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
        stale.forEach(SmtpClientConnection::quit);
        return stale.size();
    }

    void closeAll() {
        closeIdle(Duration.ZERO.minusSeconds(1));
    }
}
