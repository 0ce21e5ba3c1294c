package dev.mta.server.smtp;

import dev.mta.server.config.ServerConfig;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * When a session has waited long enough for its client: the command and data timeouts, and for the DATA phase its
 * total time (max-data-time) and the average rate the client must keep up (min-data-rate, as Postfix's
 * smtpd_min_data_rate). Time spent waiting on our own disk is not the client's: its clock stops meanwhile.
 * Event loop only.
 */
final class SessionDeadlines {
    /** What ran out. */
    enum Expiry {
        /** No command, or no content, within its timeout. */
        IDLE,
        /** The DATA phase took longer than max-data-time in all. */
        DATA_TIME,
        /** The DATA phase fell behind min-data-rate. */
        DATA_RATE
    }

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_CHECK_DELAY = TimeUnit.MILLISECONDS.toNanos(10);

    private final long commandTimeout;
    private final long dataTimeout;
    private final long maxDataTime;
    private final long minDataRate;
    private final LongSupplier nanoTime;
    private boolean stalled;
    private long stalledSince;
    private long stalledTotal;
    private long lastActivity;
    private boolean inData;
    private long dataStart;
    private long rateDeadline;
    private EventExecutor loop;
    private Consumer<Expiry> onExpiry;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    SessionDeadlines(ServerConfig config, LongSupplier nanoTime) {
        this.commandTimeout = config.commandTimeout().toNanos();
        this.dataTimeout = config.dataTimeout().toNanos();
        this.maxDataTime = config.maxDataTime().toNanos();
        this.minDataRate = config.minDataRate();
        this.nanoTime = nanoTime;
        this.lastActivity = clientNow();
    }

    /** Checks the deadlines on {@code loop} from now on; {@code onExpiry} is called once, when one has passed. */
    void start(EventExecutor loop, Consumer<Expiry> onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
        activity();
        schedule();
    }

    /** No more checks. */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void schedule() {
        if (loop == null || stopped) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timer = loop.schedule(this::check, nanosToNextCheck(), TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (stalled) {
            return; // nothing runs out while we are the slow side; the end of the stall schedules the next check
        }
        Expiry expiry = expired();
        if (expiry == null) {
            schedule();
        } else {
            stop();
            onExpiry.accept(expiry);
        }
    }

    /** The client's clock: real time less the time we kept it waiting. */
    private long clientNow() {
        return (stalled ? stalledSince : nanoTime.getAsLong()) - stalledTotal;
    }

    /** The client sent something (or we are ready for it again): a fresh wait for the next piece starts. */
    void activity() {
        lastActivity = clientNow();
    }

    /** Whether we, not the client, are the slow side (waiting on the disk); the client's clock stops meanwhile. */
    void ourSideSlow(boolean slow) {
        if (slow == stalled) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (slow) {
            stalledSince = now;
        } else {
            stalledTotal += now - stalledSince;
        }
        stalled = slow;
        if (!slow) {
            schedule();
        }
    }

    /** 354 sent: the DATA phase's total time starts, and its rate deadline is the data timeout from now. */
    void dataStarted() {
        inData = true;
        dataStart = clientNow();
        rateDeadline = dataStart + dataTimeout;
    }

    /** Content arrived: every byte buys 1/min-data-rate seconds. */
    void dataReceived(long bytes) {
        if (!inData || minDataRate == 0) {
            return;
        }
        // As Postfix: never more time in hand than the data timeout, so credit cannot be banked for a trickle later.
        rateDeadline = Math.min(rateDeadline + bytes * NANOS_PER_SECOND / minDataRate, clientNow() + dataTimeout);
    }

    /** The final dot (or the end of the session): the DATA limits no longer apply. */
    void dataEnded() {
        inData = false;
    }

    /** What has run out, or null while the client is within every limit. */
    Expiry expired() {
        long now = clientNow();
        if (now - lastActivity >= idleLimit()) {
            return Expiry.IDLE;
        }
        if (inData && now - dataStart >= maxDataTime) {
            return Expiry.DATA_TIME;
        }
        if (inData && minDataRate > 0 && now >= rateDeadline) {
            return Expiry.DATA_RATE;
        }
        return null;
    }

    /** How long to wait before the next check: to the nearest deadline, and never past the shortest limit. */
    long nanosToNextCheck() {
        long now = clientNow();
        // The state, and so the limits that apply, may change before the next check: never sleep past any of them.
        long next = Math.min(Math.min(commandTimeout, dataTimeout), maxDataTime);
        next = Math.min(next, lastActivity + idleLimit() - now);
        if (inData) {
            next = Math.min(next, dataStart + maxDataTime - now);
            if (minDataRate > 0) {
                next = Math.min(next, rateDeadline - now);
            }
        }
        return Math.max(next, MIN_CHECK_DELAY);
    }

    private long idleLimit() {
        return inData ? dataTimeout : commandTimeout;
    }
}
