package dev.mta.server.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.util.Duration;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's {@link AsyncAppender} that never blocks the thread that logs and never drops a line silently. Lines are
 * logged on event loops, which must not wait for a slow console or disk; so when the queue is full a line is
 * dropped, as {@code neverBlock} does, but counted ({@link #dropped()}, read by {@link DroppedLogLines}), and once
 * the pressure has passed (the queue is less than half full) one WARN says how many were lost, at most once a
 * {@code dropWarningInterval} (a minute). Lines at INFO and below are also dropped, and counted, while fewer than
 * {@code discardingThreshold} places are free, as {@link AsyncAppender} does (0 turns that off).
 *
 * <p>The count is exact: a place in the queue is taken (a permit) before a line is queued, and given back when the
 * worker hands the line to the output, so a line let in always fits and every line turned away is counted. Whatever the
 * configuration says, {@code neverBlock} is on.
 */
public class CountingAsyncAppender extends AsyncAppender {
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong unreported = new AtomicLong();
    private Duration dropWarningInterval = Duration.buildByMinutes(1);
    private Semaphore room;
    private Returning child;
    // The worker thread's alone.
    private long warnedAt;
    private boolean warned;

    /** Lines dropped since this appender was made. */
    public long dropped() {
        return dropped.sum();
    }

    /** The least time between two warnings about dropped lines: {@code <dropWarningInterval>1 minute</...>}. */
    public void setDropWarningInterval(Duration interval) {
        this.dropWarningInterval = interval;
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        if (child == null) {
            child = new Returning(appender);
            super.addAppender(child);
        } else {
            super.addAppender(appender); // refused with a warning: one appender only, as AsyncAppender has
        }
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        room = new Semaphore(getQueueSize());
        setNeverBlock(true);
        if (child != null) {
            child.setContext(getContext());
            child.start();
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (discardable(e) || !room.tryAcquire()) {
            dropped.increment();
            unreported.incrementAndGet();
            return;
        }
        try {
            super.append(e); // fits: at most queueSize permits are out, and the queue holds no more lines than that
        } catch (RuntimeException failed) {
            room.release(); // never queued: its place is free again (the base class reports the failure)
            throw failed;
        }
    }

    private boolean discardable(ILoggingEvent e) {
        int threshold = getDiscardingThreshold();
        return threshold > 0 && room.availablePermits() < threshold && e.getLevel().toInt() <= Level.INFO_INT;
    }

    /** Decided in {@link #append} already (and counted there); the base class must not drop uncounted. */
    @Override
    protected boolean isDiscardable(ILoggingEvent e) {
        return false;
    }

    /** On the worker, as it takes a line out: when the queue has room again, the warning about what was lost. */
    private void taken() {
        room.release();
        if (unreported.get() == 0 || room.availablePermits() < getQueueSize() / 2) {
            return;
        }
        long now = System.nanoTime();
        if (warned && now - warnedAt < dropWarningInterval.getMilliseconds() * 1_000_000L) {
            return;
        }
        warned = true;
        warnedAt = now;
        long n = unreported.getAndSet(0);
        LoggerContext context = (LoggerContext) getContext();
        LoggingEvent warning = new LoggingEvent(CountingAsyncAppender.class.getName(),
                context.getLogger(CountingAsyncAppender.class), Level.WARN,
                "{} log lines dropped: the log output could not keep up (queue of {} lines full); "
                        + "{} in all since start", null, new Object[] {n, getQueueSize(), dropped()});
        child.delegate.doAppend(warning);
    }

    /** The one appender lines go to, given back its place in the queue as each line is taken out for it. */
    private final class Returning extends UnsynchronizedAppenderBase<ILoggingEvent> {
        private final Appender<ILoggingEvent> delegate;

        Returning(Appender<ILoggingEvent> delegate) {
            this.delegate = delegate;
            setName(delegate.getName());
        }

        @Override
        protected void append(ILoggingEvent e) {
            taken();
            delegate.doAppend(e);
        }

        @Override
        public void stop() {
            delegate.stop();
            super.stop();
        }
    }
}
