package dev.mta.server;

import dev.mta.mailbox.aliases.Alias;
import dev.mta.mailbox.directory.LocalAddress;
import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.protocol.command.MailPath;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the local domains need before they may take mail (RFC 5321 4.5.1): a postmaster whose mail reaches someone,
 * a user's mailbox or an address elsewhere, through as many aliases as it takes, and not round a loop. Pure: asked at
 * start, by {@code mta config}, and before a reload of the aliases is put in force.
 */
final class LocalMailCheck {
    private LocalMailCheck() {
    }

    /** Why {@code directory} cannot serve local domains, or null when it can. */
    static String problem(LocalDirectory directory, Predicate<String> isLocalDomain) {
        if (directory.lookup("postmaster") instanceof LocalAddress.Unknown) {
            return "the local domains need a postmaster (RFC 5321 4.5.1): add a line \"postmaster: USER\" to the"
                    + " aliases file, or a user named postmaster to the users file";
        }
        if (!reaches(directory, isLocalDomain, "postmaster", new HashSet<>())) {
            return "postmaster's mail reaches no one (RFC 5321 4.5.1): its alias leads to no user or address"
                    + " elsewhere (an unknown name, or a loop); make \"postmaster:\" name a user of the users file";
        }
        return null;
    }

    /** Whether mail to {@code name} ends in a mailbox, or leaves for another domain, along some path. */
    private static boolean reaches(LocalDirectory directory, Predicate<String> isLocalDomain, String name,
                                   Set<String> seen) {
        if (!seen.add(LocalDirectory.key(name))) {
            return false; // round a loop
        }
        LocalAddress a = directory.lookup(name);
        if (a instanceof LocalAddress.Mailbox) {
            return true;
        }
        if (!(a instanceof LocalAddress.Aliased al)) {
            return false;
        }
        Alias alias = al.alias();
        for (MailPath t : alias.targets()) {
            boolean local = t.domain().isEmpty() || isLocalDomain.test(t.domain());
            if (!local) {
                return true;
            }
            if (t.localPart().equalsIgnoreCase(alias.name())) {
                if (directory.lookupUser(alias.name()) != null) {
                    return true; // "alice: alice": her own mailbox
                }
            } else if (reaches(directory, isLocalDomain, t.localPart(), seen)) {
                return true;
            }
        }
        return false;
    }
}
