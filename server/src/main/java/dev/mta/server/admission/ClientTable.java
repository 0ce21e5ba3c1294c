package dev.mta.server.admission;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clients connected or recently seen, each with its open connections and a Bucket4j token bucket of new
 * connections (refilled {@code connectionsPerMinute} a minute). Thread-safe and non-blocking enough for event loops:
 * each call is one {@link ConcurrentHashMap#compute} on the client's key. Bounded: an idle client is forgotten once
 * its bucket would be full again ({@link #sweep()}), and past {@code maxClients} new clients are let in uncounted
 * rather than making the table grow without end (the server-wide --max-connections still holds).
 */
public final class ClientTable {
    /** A minute: the rate limit's period, and how long an idle client's entry is kept. */
    static final Duration PERIOD = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_CLIENTS = 100_000;

    private static final class Client {
        int open;
        long lastSeenNanos;
        final Bucket bucket;

        Client(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    private final ClientLimits limits;
    private final int maxClients;
    private final TimeMeter clock;
    private final ConcurrentHashMap<InetAddress, Client> clients = new ConcurrentHashMap<>();
    private final AtomicBoolean full = new AtomicBoolean();

    public ClientTable(ClientLimits limits) {
        this(limits, DEFAULT_MAX_CLIENTS, TimeMeter.SYSTEM_NANOTIME);
    }

    /** A table with its size bound and clock given (tests). */
    public ClientTable(ClientLimits limits, int maxClients, TimeMeter clock) {
        this.limits = limits;
        this.maxClients = maxClients;
        this.clock = clock;
    }

    /** Counts a new connection from {@code address}, or says which limit refuses it. */
    public Admission admit(InetAddress address) {
        if (address == null || !limits.limitsClients() || limits.isException(address)) {
            return Admission.UNCOUNTED;
        }
        InetAddress key = keyOf(address);
        if (clients.size() >= maxClients && !clients.containsKey(key)) {
            full.set(true);
            return Admission.UNCOUNTED;
        }
        Admission[] answer = new Admission[1];
        clients.compute(key, (k, c) -> {
            if (c == null) {
                c = new Client(limits.connectionsPerMinute() > 0 ? newBucket() : null);
            }
            c.lastSeenNanos = clock.currentTimeNanos();
            // Every attempt takes a token, refused ones too: a client hammering at its limit stays limited.
            boolean withinRate = c.bucket == null || c.bucket.tryConsume(1);
            if (limits.maxConnectionsPerClient() > 0 && c.open >= limits.maxConnectionsPerClient()) {
                answer[0] = Admission.TOO_MANY_CONNECTIONS;
            } else if (!withinRate) {
                answer[0] = Admission.TOO_FAST;
            } else {
                c.open++;
                answer[0] = Admission.COUNTED;
            }
            return c;
        });
        return answer[0];
    }

    /** A connection counted by {@link #admit} has closed. */
    public void release(InetAddress address) {
        clients.computeIfPresent(keyOf(address), (k, c) -> {
            c.open = Math.max(0, c.open - 1);
            c.lastSeenNanos = clock.currentTimeNanos();
            return c;
        });
    }

    /** Forgets clients with nothing open that were last seen a period ago (their buckets are full again by now). */
    public void sweep() {
        long now = clock.currentTimeNanos();
        for (InetAddress key : clients.keySet()) {
            clients.computeIfPresent(key, (k, c) -> c.open == 0 && now - c.lastSeenNanos >= PERIOD.toNanos() ? null : c);
        }
    }

    /** Whether the table has been full since the last call (so the caller can say so once, not per connection). */
    public boolean wasFull() {
        return full.getAndSet(false);
    }

    /** Clients in the table now. */
    public int size() {
        return clients.size();
    }

    /** Connections counted as open from {@code address}'s client now. */
    public int openFrom(InetAddress address) {
        Client c = clients.get(keyOf(address));
        return c == null ? 0 : c.open;
    }

    private Bucket newBucket() {
        int n = limits.connectionsPerMinute();
        // Only ever used inside compute(), under the map's lock for this key: no synchronisation of its own needed.
        return Bucket.builder()
                .addLimit(l -> l.capacity(n).refillGreedy(n, PERIOD))
                .withCustomTimePrecision(clock)
                .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                .build();
    }

    /** The key a client counts under: its IPv4 address, or its IPv6 /64 (one host's or one site's addresses). */
    static InetAddress keyOf(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes is always a valid address
        }
    }
}
