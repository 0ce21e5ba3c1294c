package dev.mta.queue.model;

/**
 * What the queue holds now, by state, as one consistent snapshot (for metrics and health: read without a lock).
 * A message is <em>held</em> while the operator holds it; otherwise <em>deferred</em> when every recipient it still
 * has has been tried and deferred at least once (it waits for a retry), and <em>active</em> when some recipient has
 * not been tried yet. Recipients count the pending ones only, by the same states: of a held message, held; else
 * deferred once tried, active before.
 *
 * @param oldestArrivalMillis the arrival time of the oldest message queued, or 0 when the queue is empty
 */
public record QueueCounts(int activeMessages, int deferredMessages, int heldMessages, long activeRecipients,
                          long deferredRecipients, long heldRecipients, long oldestArrivalMillis) {
    /** An empty queue. */
    public static final QueueCounts EMPTY = new QueueCounts(0, 0, 0, 0, 0, 0, 0);

    /** Messages queued, in every state. */
    public int messages() {
        return activeMessages + deferredMessages + heldMessages;
    }

    /** Seconds the oldest queued message has waited at {@code nowMillis}; 0 when the queue is empty. */
    public double oldestAgeSeconds(long nowMillis) {
        return oldestArrivalMillis == 0 ? 0 : Math.max(0, nowMillis - oldestArrivalMillis) / 1000.0;
    }
}
