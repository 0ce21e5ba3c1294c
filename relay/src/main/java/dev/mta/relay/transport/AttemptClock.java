package dev.mta.relay.transport;

import java.util.concurrent.TimeUnit;

/**
 * The clock of one delivery attempt, for the mail log's {@code delays=a/b/c/d}: started when the attempt is handed
 * to its transport, marked by the transport when its connection is ready for the transaction (after DNS, connect,
 * greeting, EHLO, STARTTLS and AUTH, or the RSET of a kept connection), read when the outcomes are in.
 * Marked on an event loop, read on another thread after the attempt's future completed.
 */
public final class AttemptClock {
    private final long startNanos;
    private volatile long connectedNanos;
    private volatile boolean connected;

    private AttemptClock(long startNanos) {
        this.startNanos = startNanos;
    }

    /** A clock started now. */
    public static AttemptClock start() {
        return new AttemptClock(System.nanoTime());
    }

    /** The connection is ready and the transaction begins (the last time wins: a next hop tried after another). */
    public void connected() {
        connectedNanos = System.nanoTime();
        connected = true;
    }

    /** Milliseconds from the start to the connection being ready; all of the attempt when it never was. */
    public long connectMillis(long endNanos) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, (connected ? connectedNanos : endNanos) - startNanos));
    }

    /** Milliseconds from the connection being ready to {@code endNanos}; 0 when no connection was made. */
    public long transmitMillis(long endNanos) {
        return connected ? TimeUnit.NANOSECONDS.toMillis(Math.max(0, endNanos - connectedNanos)) : 0;
    }
}
