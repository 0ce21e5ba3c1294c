package dev.mta.relay.transport.smtp;

import dev.mta.queue.model.Route;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Which next-hop addresses are down, as Postfix's queue manager keeps dead sites: an address that refuses
 * connections, times out at connect or greets with 421 is down for a back-off period ({@link Backoff#min()} at first,
 * doubling at each failed probe up to {@link Backoff#max()}, each with ±10% jitter, never above the max). It stays
 * down until a probe says otherwise: one connection at the end of the period (the transport makes it), whose failure
 * starts the next, longer period and whose success clears the address and hands back the routes whose mail was
 * deferred meanwhile, to be made due at once. A destination is unavailable only while every one of its addresses
 * is down; its mail is then deferred without a connection attempt.
 *
 * <p>Shared by every event loop: one {@link ConcurrentHashMap} of immutable entries changed with {@code compute}, no
 * lock held across anything but the entry; every call is a map look-up or two. An address no mail has wanted for
 * longer than {@link #FORGET_AFTER} is forgotten at its next probe time instead of probed, so the table holds only
 * addresses mail is waiting for.
 */
public final class HopHealth {
    /** The back-off of a down address: the first period, and the cap of the doubling. */
    public record Backoff(Duration min, Duration max) {
        public static final long DEFAULT_MIN_SECONDS = 60;
        public static final long DEFAULT_MAX_SECONDS = 3600;
        public static final Backoff DEFAULT =
                new Backoff(Duration.ofSeconds(DEFAULT_MIN_SECONDS), Duration.ofSeconds(DEFAULT_MAX_SECONDS));

        public Backoff {
            if (min.toMillis() < 1) {
                throw new IllegalArgumentException("hop-backoff-min must be at least 1 ms, not " + min.toMillis() + " ms");
            }
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("hop-backoff-max must be at least hop-backoff-min ("
                        + min.toSeconds() + " s), not " + max.toSeconds() + " s");
            }
        }
    }

    /**
     * One down address.
     *
     * @param failures   failed attempts in a row (the first period, then each failed probe)
     * @param since      when the current period began
     * @param until      when it ends and the probe is due
     * @param probing    a probe is under way (the address stays down until it answers)
     * @param lastError  what the last failed attempt met, for the deferrals' text
     * @param lastWanted when mail last wanted this address
     * @param waiting    the routes whose mail was deferred because of this address
     */
    public record Down(int failures, long since, long until, boolean probing, String lastError, long lastWanted,
                       Set<Route> waiting) {
    }

    /**
     * How long an address no mail has wanted is kept (and probed) by default: longer than the longest default retry
     * delay (4 h, +10%), so an address with mail still queued is not forgotten between that mail's attempts.
     */
    public static final Duration FORGET_AFTER = Duration.ofHours(6);

    private final Backoff backoff;
    private final long forgetAfterMillis;
    private final LongSupplier clock;
    private final DoubleSupplier random;
    private final ConcurrentHashMap<InetSocketAddress, Down> down = new ConcurrentHashMap<>();

    public HopHealth(Backoff backoff) {
        this(backoff, FORGET_AFTER, System::currentTimeMillis, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param forgetAfter an address no mail has wanted for this long (and at least the max back-off) is forgotten at
     *                    its probe time instead of probed: its mail, if any comes, tries for real again
     * @param clock       milliseconds
     * @param random      numbers in [0, 1) for the jitter (tests choose both)
     */
    public HopHealth(Backoff backoff, Duration forgetAfter, LongSupplier clock, DoubleSupplier random) {
        this.backoff = backoff;
        this.forgetAfterMillis = Math.max(forgetAfter.toMillis(), backoff.max().toMillis());
        this.clock = clock;
        this.random = random;
    }

    public Backoff backoff() {
        return backoff;
    }

    /**
     * The period after {@code failures} failures in a row: min × 2^(failures-1), capped at max, times a jitter in
     * [0.9, 1.1), never above max.
     */
    public long periodMillis(int failures) {
        long min = backoff.min().toMillis();
        long max = backoff.max().toMillis();
        int doublings = Math.max(0, failures - 1);
        long base = doublings >= 62 || min > (max >> Math.min(doublings, 62)) ? max : Math.min(max, min << doublings);
        long jittered = Math.round(base * (0.9 + 0.2 * random.getAsDouble()));
        return Math.max(1, Math.min(max, jittered));
    }

    /**
     * An attempt at {@code address} met a refused connection, a connect timeout or a 421 greeting. A first failure
     * marks the address down for the first period; a failed probe starts the next, longer one. Returns the new
     * entry when a period began (the caller schedules the probe at its {@link Down#until()}), or null when the
     * address was already down (an attempt started before it was marked, which changes nothing).
     */
    public Down failed(InetSocketAddress address, String error) {
        long now = clock.getAsLong();
        Down[] started = new Down[1];
        down.compute(address, (a, d) -> {
            if (d == null) {
                return started[0] = new Down(1, now, now + periodMillis(1), false, error, now, ConcurrentHashMap.newKeySet());
            }
            if (!d.probing()) {
                return d;
            }
            int n = d.failures() + 1;
            return started[0] = new Down(n, now, now + periodMillis(n), false, error, d.lastWanted(), d.waiting());
        });
        return started[0];
    }

    /**
     * {@code address} answered (a greeting other than 421). Clears it; returns the routes whose mail was deferred
     * while it was down, to be made due now, or null when it was not down.
     */
    public Set<Route> reached(InetSocketAddress address) {
        Down d = down.remove(address);
        return d == null ? null : d.waiting();
    }

    /** Whether the address is down: from its first failure until a probe reaches it. */
    public boolean isDown(InetSocketAddress address) {
        return down.containsKey(address);
    }

    public Down state(InetSocketAddress address) {
        return down.get(address);
    }

    /** How many addresses are down now. */
    public int size() {
        return down.size();
    }

    /**
     * When a destination with these addresses may be back: -1 when one of them is not down (the destination is
     * available), else the earliest end of their periods.
     */
    public long unavailableUntil(List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            return -1;
        }
        long earliest = Long.MAX_VALUE;
        for (InetSocketAddress a : addresses) {
            Down d = down.get(a);
            if (d == null) {
                return -1;
            }
            earliest = Math.min(earliest, d.until());
        }
        return earliest;
    }

    /** Mail for {@code route} was deferred because {@code address} is down: it waits for the address to answer. */
    public void waiting(InetSocketAddress address, Route route) {
        long now = clock.getAsLong();
        down.computeIfPresent(address, (a, d) -> {
            d.waiting().add(route);
            return d.lastWanted() == now ? d : new Down(d.failures(), d.since(), d.until(), d.probing(), d.lastError(),
                    now, d.waiting());
        });
    }

    /** What the probe of a down address should do at the end of its period. */
    public enum Probe {
        /** Connect now: this caller is the one probe. */
        NOW,
        /** The address is not down (cleared), already being probed, or its period has not ended. */
        NOT_DUE,
        /** No mail wanted it for longer than the forget-after time: forgotten rather than probed. */
        FORGOTTEN
    }

    /** At the end of a period: claims the one probe, or forgets an address no mail wants any more. */
    public Probe claimProbe(InetSocketAddress address) {
        long now = clock.getAsLong();
        Probe[] verdict = {Probe.NOT_DUE};
        down.computeIfPresent(address, (a, d) -> {
            if (d.probing() || now < d.until()) {
                return d;
            }
            if (now - d.lastWanted() > forgetAfterMillis) {
                verdict[0] = Probe.FORGOTTEN;
                return null;
            }
            verdict[0] = Probe.NOW;
            return new Down(d.failures(), d.since(), d.until(), true, d.lastError(), d.lastWanted(), d.waiting());
        });
        return verdict[0];
    }
}
