package dev.mta.mailbox.aliases;

import dev.mta.protocol.command.MailPath;

import java.util.ArrayList;
import java.util.List;

/**
 * One alias: a name and its targets, addresses each. A target without a domain ({@code alice}) is a local name:
 * it takes the domain of the recipient being expanded.
 *
 * @param name    the alias as written
 * @param targets the targets in file order; a bare name has an empty domain
 */
public record Alias(String name, List<MailPath> targets) {
    public Alias {
        targets = List.copyOf(targets);
    }

    /** The targets as full addresses: a bare name gets {@code domain}, the domain of the recipient expanded. */
    public List<MailPath> targetsIn(String domain) {
        List<MailPath> out = new ArrayList<>(targets.size());
        for (MailPath t : targets) {
            out.add(t.domain().isEmpty() ? new MailPath(t.localPart(), domain, t.isUtf8() || !isAscii(domain)) : t);
        }
        return out;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
