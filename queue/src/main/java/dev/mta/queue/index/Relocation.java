package dev.mta.queue.index;

import dev.mta.queue.log.Location;
import dev.mta.queue.model.Outcome;

/**
 * A live message as it stood at one moment, taken under the index's lock for the compactor: where its body and
 * envelope lie, and the states, outcomes and held flag its copy restates. The copy is written without the lock;
 * {@link IndexRelocations#moveIfUnchanged} then points the message at it only if nothing changed meanwhile.
 */
public final class Relocation {
    final QueuedMessage message;
    final long changes;
    final long[] bodyPieces;
    final Location record;
    final int headLength;
    final byte[] states;
    final int[] attempts;
    final long[] nextAttempt;
    final Outcome[] outcomes;
    final boolean held;

    /** Call under the index's lock. */
    Relocation(QueuedMessage m) {
        this.message = m;
        this.changes = m.changes;
        this.bodyPieces = m.bodyPieces();
        this.record = m.record;
        this.headLength = m.inlineOffset;
        this.states = m.states.clone();
        this.attempts = m.attempts.clone();
        this.nextAttempt = m.nextAttempt.clone();
        this.outcomes = m.lastOutcome == null ? null : m.lastOutcome.clone();
        this.held = m.held;
    }

    public long id() {
        return message.id;
    }

    public String idText() {
        return message.idText();
    }

    /** Where the body lies now: segment, offset, length for each piece, in order. */
    public long[] bodyPieces() {
        return bodyPieces;
    }

    /** The MESSAGE record now in use, whose head holds the envelope as received. */
    public Location record() {
        return record;
    }

    /** How many bytes at the start of {@link #record()} hold the envelope and states. */
    public int headLength() {
        return headLength;
    }

    /** Whether the message was held: the copy is followed by a HOLD record. */
    public boolean held() {
        return held;
    }
}
