package dev.mta.server.policy;

import dev.mta.protocol.command.MailPath;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The relay recipient table: the addresses of relay domains that exist ({@code user@example.com}), and domains all
 * of whose addresses do ({@code @example.com}). Immutable; looked up without blocking. Matching ignores case, in
 * the local part too, as Postfix's table lookups do.
 */
public final class RecipientTable {
    private final Set<String> addresses;
    private final Set<String> domains;

    private RecipientTable(Set<String> addresses, Set<String> domains) {
        this.addresses = Set.copyOf(addresses);
        this.domains = Set.copyOf(domains);
    }

    /**
     * Reads the table from the lines of its file: one address or {@code @domain} a line; blank lines and
     * {@code #} comments (whole lines, or the rest of a line after white space) are skipped. A bad line is an
     * IllegalArgumentException naming its number.
     */
    public static RecipientTable parse(List<String> lines) {
        Set<String> addresses = new HashSet<>();
        Set<String> domains = new HashSet<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            int comment = line.startsWith("#") ? 0 : line.indexOf(" #");
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            int at = line.lastIndexOf('@');
            if (at < 0 || at == line.length() - 1 || line.endsWith(".") || line.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("line " + n + ": expected user@domain or @domain, not " + line);
            }
            String key = line.toLowerCase(Locale.ROOT);
            if (at == 0) {
                domains.add(key.substring(1));
            } else {
                addresses.add(key);
            }
        }
        return new RecipientTable(addresses, domains);
    }

    /** Whether the table knows {@code recipient}: its address, or a catch-all for its domain. */
    public boolean contains(MailPath recipient) {
        return domains.contains(recipient.domainKey())
                || addresses.contains(recipient.address().toLowerCase(Locale.ROOT));
    }

    /** Entries: addresses and catch-all domains. */
    public int size() {
        return addresses.size() + domains.size();
    }
}
