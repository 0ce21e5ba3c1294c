package dev.mta.queue;

import dev.mta.queue.log.CommitObserver;

/**
 * How the queue's last write went, for readiness: a batch that failed (the disk full, or another error) leaves the
 * queue unable to take mail until a later batch succeeds. Hears every batch on the writer thread, passes it on to
 * the observer given (metrics), and is read from any thread without a lock.
 */
public final class WriteHealth implements CommitObserver {
    /** What went wrong with the last batch written, if anything. */
    public enum Problem { NONE, DISK_FULL, WRITE_FAILED }

    /** The last batch's result, and when ({@link System#nanoTime()}) a failure was met. */
    public record State(Problem problem, long sinceNanos) {
    }

    private static final State OK = new State(Problem.NONE, 0);

    private volatile State state = OK;
    private volatile CommitObserver next = CommitObserver.NONE;

    /** {@code o} hears every batch from now on. */
    void forwardTo(CommitObserver o) {
        next = o;
    }

    public State state() {
        return state;
    }

    @Override
    public void committed(int records, long nanos, boolean synced) {
        if (state != OK) {
            state = OK;
        }
        next.committed(records, nanos, synced);
    }

    @Override
    public void failed(int records, boolean noSpace) {
        state = new State(noSpace ? Problem.DISK_FULL : Problem.WRITE_FAILED, System.nanoTime());
        next.failed(records, noSpace);
    }
}
