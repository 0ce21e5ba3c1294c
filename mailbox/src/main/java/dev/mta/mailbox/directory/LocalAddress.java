package dev.mta.mailbox.directory;

import dev.mta.mailbox.aliases.Alias;

/** What a local part of a local domain is here: a user's mailbox, an alias (a list), or nobody. */
public sealed interface LocalAddress {
    /** Nobody by that name: {@code 550 5.1.1}. */
    LocalAddress UNKNOWN = new Unknown();

    /** The mailbox of {@code user}, as named in the users file. */
    record Mailbox(String user) implements LocalAddress {
    }

    /** An alias (a list, or a forward), expanded at delivery into its targets. */
    record Aliased(Alias alias) implements LocalAddress {
    }

    /** Not a user, not an alias. */
    record Unknown() implements LocalAddress {
    }
}
