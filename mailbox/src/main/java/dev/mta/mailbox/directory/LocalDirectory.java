package dev.mta.mailbox.directory;

import dev.mta.mailbox.aliases.Alias;
import dev.mta.mailbox.aliases.AliasTable;

import java.util.Locale;
import java.util.Objects;

/**
 * Who lives in the local domains: the aliases first (as {@code /etc/aliases} comes before a mailbox), then the users
 * of the users file; the same local part means the same thing in every local domain. Local parts match in any case
 * and a quoted local part is read without its quotes. The alias table is swapped whole by a reload; the users are
 * asked each time, so their own reload shows at once.
 */
public final class LocalDirectory {
    /** The users of the users file, by name. */
    @FunctionalInterface
    public interface Users {
        /** No users. */
        Users NONE = name -> null;

        /** The user's name as the users file writes it, for {@code name} in any case; null when there is none. */
        String canonical(String name);
    }

    private final Users users;
    private volatile AliasTable aliases;

    public LocalDirectory(Users users, AliasTable aliases) {
        this.users = Objects.requireNonNull(users);
        this.aliases = Objects.requireNonNull(aliases);
    }

    /** What {@code localPart} is, in any local domain. */
    public LocalAddress lookup(String localPart) {
        return lookup(localPart, null);
    }

    /**
     * What {@code localPart@domain} is: an alias of that local part; else a user named by the whole address (a users
     * file whose names are addresses, as SMTP AUTH users often are), else by the local part alone.
     */
    public LocalAddress lookup(String localPart, String domain) {
        String name = unquoted(localPart);
        Alias alias = aliases.find(name);
        if (alias != null) {
            return new LocalAddress.Aliased(alias);
        }
        String user = domain == null || domain.isEmpty() ? null : users.canonical(name + "@" + domain);
        if (user == null) {
            user = users.canonical(name);
        }
        return user != null ? new LocalAddress.Mailbox(user) : LocalAddress.UNKNOWN;
    }

    /** The user named {@code name} (any case) as the users file writes it, aliases aside; null when there is none. */
    public String lookupUser(String name) {
        return users.canonical(unquoted(name));
    }

    /** The alias {@code owner-NAME}, which takes the bounces of the list {@code NAME}, or null. */
    public Alias ownerOf(String listName) {
        return aliases.find("owner-" + listName);
    }

    /** A directory of the same users with {@code table} for aliases (to check a reload before it is put in force). */
    public LocalDirectory withAliases(AliasTable table) {
        return new LocalDirectory(users, table);
    }

    /** Replaces the aliases (a reload). */
    public void replaceAliases(AliasTable table) {
        this.aliases = Objects.requireNonNull(table);
    }

    public AliasTable aliases() {
        return aliases;
    }

    /** {@code "a.b"} as {@code a.b}: a quoted local part names the same mailbox as the unquoted one. */
    static String unquoted(String localPart) {
        if (localPart.length() >= 2 && localPart.startsWith("\"") && localPart.endsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < localPart.length() - 1; i++) {
                char c = localPart.charAt(i);
                if (c == '\\' && i + 1 < localPart.length() - 1) {
                    c = localPart.charAt(++i);
                }
                sb.append(c);
            }
            return sb.toString();
        }
        return localPart;
    }

    /** {@code name} in lower case, the key users and aliases are matched by. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
