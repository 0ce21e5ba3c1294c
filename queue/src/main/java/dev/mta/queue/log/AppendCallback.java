package dev.mta.queue.log;

/** Hears about one append: where it was written, and whether it became durable. Both run on the writer thread. */
public interface AppendCallback {
    /** The record was appended at {@code location}; not yet durable. */
    default void written(Location location) {
    }

    /** The record is durable ({@code failure} null) or gone (the whole batch was rolled back). */
    void done(Location location, Exception failure);
}
