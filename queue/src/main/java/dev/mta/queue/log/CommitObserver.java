package dev.mta.queue.log;

/**
 * Hears each batch the {@link LogWriter} writes: for metrics (commit latency, batch size) and health (a disk that
 * is full or fails). Called on the writer thread after the batch: record and return, never block.
 */
public interface CommitObserver {
    /** Hears nothing. */
    CommitObserver NONE = new CommitObserver() {
    };

    /**
     * A batch of {@code records} records was written and made durable with one fsync ({@code synced}), or only
     * written, to ride a later one; {@code nanos} from the start of its writing to the end of the fsync (or write).
     */
    default void committed(int records, long nanos, boolean synced) {
    }

    /** A batch of {@code records} records failed; {@code noSpace} when the file system said it was full. */
    default void failed(int records, boolean noSpace) {
    }
}
