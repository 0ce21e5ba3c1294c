package dev.mta.queue.model;

/** Where one recipient of a queued message stands. */
public enum RecipientState {
    /** Not delivered yet: new, or deferred after a temporary failure. */
    PENDING,
    /** Accepted by the next hop; dropped from the destination list. */
    DELIVERED,
    /** Failed permanently; dropped once its bounce is queued. */
    FAILED;

}
