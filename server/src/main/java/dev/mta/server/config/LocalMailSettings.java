package dev.mta.server.config;

import dev.mta.mailbox.aliases.AliasTable;
import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.mailbox.maildir.MailRoot;

import java.nio.file.Path;

/**
 * Local delivery as configured: where the mailboxes are, who lives in the local domains (users and aliases, live),
 * the aliases file to reread on SIGHUP, the quota, and what VRFY and EXPN tell.
 *
 * @param aliasesFile the aliases file, or null for none
 * @param quota       the most bytes one mailbox may hold, 0 for no limit
 */
public record LocalMailSettings(MailRoot mailRoot, LocalDirectory directory, Path aliasesFile, long quota,
                                AddressQueries queries) {
    /** Nobody lives here (no users, no aliases), mailboxes beside {@code spool}, VRFY and EXPN off. */
    public static LocalMailSettings none(Path spool) {
        return new LocalMailSettings(new MailRoot(MailRoot.besideSpool(spool)),
                new LocalDirectory(LocalDirectory.Users.NONE, AliasTable.EMPTY), null, 0, AddressQueries.OFF);
    }
}
