package dev.mta.server;

import dev.mta.mailbox.aliases.AliasFile;
import dev.mta.mailbox.aliases.AliasTable;
import dev.mta.server.config.AddressQueries;
import dev.mta.server.config.Defaults;
import picocli.CommandLine.Option;

import java.nio.file.Path;

import static dev.mta.server.OptionValues.parsed;

/**
 * Local delivery's options (a picocli mixin of {@link MtaMain}): the aliases of the local domains, the mailbox quota,
 * and what VRFY and EXPN tell. Each value's errors name its key.
 */
final class LocalMailOptions {
    @Option(names = "--aliases", paramLabel = "FILE",
            description = "Aliases of the local domains, /etc/aliases form (name: address, address); reread on SIGHUP (default: none)")
    Path aliases;

    @Option(names = "--mailbox-quota", paramLabel = "BYTES", defaultValue = "" + Defaults.MAILBOX_QUOTA,
            description = "Most bytes one local mailbox may hold; past it mail is deferred (4.2.2) and bounces when it expires; 0 = no limit (default: ${DEFAULT-VALUE})")
    long mailboxQuota;

    @Option(names = "--vrfy", paramLabel = "MODE", defaultValue = Defaults.VRFY,
            description = "VRFY: off (252 to all) or local (250 for a local user, 550 5.1.1 for an unknown one, 252 for others) (default: ${DEFAULT-VALUE})")
    String vrfy;

    @Option(names = "--expn", paramLabel = "MODE", defaultValue = Defaults.EXPN,
            description = "EXPN: off (502) or lists (the members of a local alias) (default: ${DEFAULT-VALUE})")
    String expn;

    @Option(names = "--vrfy-expn-clients", paramLabel = "WHO", defaultValue = Defaults.VRFY_EXPN_CLIENTS,
            description = "Who VRFY and EXPN answer: any client, or trusted ones (mynetworks and authenticated); others as if off (default: ${DEFAULT-VALUE})")
    String vrfyExpnClients;

    /** What VRFY and EXPN tell; errors name the key. */
    AddressQueries queries() {
        return new AddressQueries(AddressQueries.vrfy(vrfy), AddressQueries.expn(expn),
                AddressQueries.trustedOnly(vrfyExpnClients));
    }

    /** The quota in bytes, 0 for none; the error names the key. */
    long quota() {
        if (mailboxQuota < 0) {
            throw new IllegalArgumentException("mailbox-quota cannot be negative: " + mailboxQuota);
        }
        return mailboxQuota;
    }

    /** The aliases file read, or no aliases; a bad file is bad configuration (its message names file and line). */
    AliasTable aliasTable() {
        return aliases == null ? AliasTable.EMPTY : parsed("aliases", () -> AliasFile.read(aliases));
    }

    Path aliasesFile() {
        return aliases;
    }
}
