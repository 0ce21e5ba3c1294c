package dev.mta.queue.index;

import dev.mta.protocol.command.MailPath;

/**
 * Makes equal envelope paths, and equal domains, of the queued messages share one instance: a queue holds the same
 * few senders and the same recipient domains many times over (a list's mail, everything to one large provider),
 * and each copy would cost its objects and strings in every index entry for as long as the message waits. A lossy
 * cache of fixed size, so it needs no eviction and bounds its own memory: a value that meets another in its slot
 * replaces it, and only sharing is lost. Equality here is exact (case kept), not {@link MailPath#equals}, which
 * ignores the domain's case. Safe from any thread: paths are immutable and a slot holds one reference.
 */
final class SharedPaths {
    private static final int SLOTS = 1 << 13;

    private final MailPath[] paths = new MailPath[SLOTS];
    private final String[] domains = new String[SLOTS];

    /** The shared instance equal to {@code p} (the one met before, or {@code p} itself), its domain shared too. */
    MailPath share(MailPath p) {
        if (p.isNull()) {
            return p;
        }
        int slot = spread(p.localPart().hashCode() * 31 + p.domain().hashCode());
        MailPath known = paths[slot];
        if (known != null && known.localPart().equals(p.localPart()) && known.domain().equals(p.domain())
                && known.isUtf8() == p.isUtf8()) {
            return known;
        }
        String domain = domain(p.domain());
        MailPath shared = domain == p.domain() ? p : new MailPath(p.localPart(), domain, p.isUtf8());
        paths[slot] = shared;
        return shared;
    }

    private String domain(String d) {
        int slot = spread(d.hashCode());
        String known = domains[slot];
        if (d.equals(known)) {
            return known;
        }
        domains[slot] = d;
        return d;
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
