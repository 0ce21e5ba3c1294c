package dev.mta.relay;

import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.mailbox.maildir.MailRoot;

/**
 * What the local transport needs: who lives in the local domains, where their mailboxes are, and how much each may
 * hold.
 *
 * @param directory the users and aliases, in force (a reload may change them)
 * @param mailRoot  the mailboxes' folder
 * @param quota     the most bytes a mailbox may hold, 0 for no limit
 * @param home      the local domain a bare alias target takes when an alias of a domain is expanded (that domain,
 *                  or for our own postmaster a local domain)
 */
public record LocalDelivery(LocalDirectory directory, MailRoot mailRoot, long quota,
                            java.util.function.UnaryOperator<String> home) {
    public LocalDelivery {
        if (quota < 0) {
            throw new IllegalArgumentException("mailbox-quota cannot be negative: " + quota);
        }
    }
}
