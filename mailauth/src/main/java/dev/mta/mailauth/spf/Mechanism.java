package dev.mta.mailauth.spf;

import java.util.Optional;

/** One of the eight mechanisms of RFC 7208 section 5, as parsed; a missing target means the current domain. */
sealed interface Mechanism {
    /** "all": always matches. */
    record All() implements Mechanism {
    }

    /** "include:domain": matches when the included domain's check passes. */
    record Include(MacroString target) implements Mechanism {
    }

    /** "a[:domain][/n][//m]": the client is one of the domain's addresses (within the prefix). */
    record A(Optional<MacroString> target, int ip4Prefix, int ip6Prefix) implements Mechanism {
    }

    /** "mx[:domain][/n][//m]": the client is an address of one of the domain's MX hosts. */
    record Mx(Optional<MacroString> target, int ip4Prefix, int ip6Prefix) implements Mechanism {
    }

    /** "ptr[:domain]": a validated reverse name of the client lies within the domain (RFC 7208 5.5: do not use). */
    record Ptr(Optional<MacroString> target) implements Mechanism {
    }

    /** "ip4:" and "ip6:": the client is in the block. */
    record Ip(Network network) implements Mechanism {
    }

    /** "exists:domain": the name has an A record. */
    record Exists(MacroString target) implements Mechanism {
    }

    /** Whether evaluating it asks DNS, and so counts against the limit of 10 (RFC 7208 4.6.4). */
    default boolean queriesDns() {
        return !(this instanceof All || this instanceof Ip);
    }
}
