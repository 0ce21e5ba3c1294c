package dev.mta.server.policy;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay recipient table in force, if any. Sessions read it on their event loops; a reload (off the event
 * loops) swaps in a new immutable table at once, so a lookup sees the old table or the new one, never half of one.
 */
public final class RelayRecipients {
    private final AtomicReference<RecipientTable> table;

    private RelayRecipients(RecipientTable table) {
        this.table = new AtomicReference<>(table);
    }

    /** No table: recipients of relay domains are not checked. */
    public static RelayRecipients none() {
        return new RelayRecipients(null);
    }

    /** Starting with {@code table}. */
    public static RelayRecipients of(RecipientTable table) {
        if (table == null) {
            throw new IllegalArgumentException("no table");
        }
        return new RelayRecipients(table);
    }

    /** The table in force; null when there is none. */
    public RecipientTable current() {
        return table.get();
    }

    /** Puts {@code next} in force for every lookup from now on; null: no table (relay-domain recipients unchecked). */
    public void replace(RecipientTable next) {
        table.set(next);
    }
}
