package dev.mta.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Domains as the relay rules name them. Matching is case-insensitive and exact: {@code example.com} covers
 * {@code example.com} only; {@code .example.com} covers every subdomain of it ({@code a.example.com},
 * {@code b.a.example.com}) but not {@code example.com} itself (write both for both), as Postfix's relay_domains
 * without parent_domain_matches_subdomains. A trailing dot, address literals and wildcards are refused when the
 * list is read, so nothing but a plain domain name can ever match.
 */
public final class DomainList {
    public static final DomainList NONE = new DomainList(List.of(), List.of());

    /** Exact names, lower case. */
    private final Set<String> exact;
    /** Parent entries with their leading dot, lower case. */
    private final List<String> parents;

    /** The first exact name as listed, or null: the domain a bare local part is taken in (VRFY alice). */
    private final String first;

    private DomainList(List<String> exact, List<String> parents) {
        this.exact = Set.copyOf(exact);
        this.parents = List.copyOf(parents);
        this.first = exact.isEmpty() ? null : exact.get(0);
    }

    /** The first exact domain as listed (lower case), or null when there is none. */
    public String first() {
        return first;
    }

    /** Reads a list separated by commas or white space; each entry {@code name} or {@code .name}. */
    public static DomainList parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<String> exact = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        for (String entry : text.strip().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            String e = entry.toLowerCase(Locale.ROOT);
            boolean parent = e.startsWith(".");
            String name = parent ? e.substring(1) : e;
            if (!isDomainName(name)) {
                throw new IllegalArgumentException("not a domain name: " + entry);
            }
            if (parent) {
                parents.add(e);
            } else {
                exact.add(e);
            }
        }
        return new DomainList(exact, parents);
    }

    /** A domain name: dot-separated labels of letters, digits, hyphens (or non-ASCII), none empty. */
    private static boolean isDomainName(String name) {
        if (name.isEmpty() || name.length() > 255) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c >= 0x80)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code domain} (any case) is in the list; false for an address literal or an empty domain. */
    public boolean matches(String domain) {
        if (domain.isEmpty() || domain.charAt(0) == '[') {
            return false;
        }
        String d = domain.toLowerCase(Locale.ROOT);
        if (exact.contains(d)) {
            return true;
        }
        for (String p : parents) {
            // ".example.com" covers "x.example.com": the domain ends with the entry, dot included, and is longer.
            if (d.length() > p.length() && d.endsWith(p)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && parents.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainList && ((DomainList) o).exact.equals(exact)
                && Set.copyOf(((DomainList) o).parents).equals(Set.copyOf(parents));
    }

    @Override
    public int hashCode() {
        return exact.hashCode() * 31 + Set.copyOf(parents).hashCode();
    }

    /** The entries, sorted, separated by commas; "none" for an empty list. */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        Set<String> all = new TreeSet<>(exact);
        all.addAll(parents);
        return String.join(",", all);
    }
}
