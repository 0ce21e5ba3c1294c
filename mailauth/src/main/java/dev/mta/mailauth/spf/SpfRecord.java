package dev.mta.mailauth.spf;

import dev.mta.mailauth.results.AuthResult;

import java.util.List;
import java.util.Optional;

/**
 * A parsed "v=spf1" record (RFC 7208 4.6): its directives in order and the redirect and exp modifiers, if given
 * (unknown modifiers are checked for syntax and dropped).
 */
record SpfRecord(List<Directive> directives, Optional<MacroString> redirect, Optional<MacroString> explanation) {
    /** A mechanism and the result its qualifier gives when it matches (+ pass, - fail, ~ softfail, ? neutral). */
    record Directive(AuthResult result, Mechanism mechanism) {
    }

    SpfRecord {
        directives = List.copyOf(directives);
    }
}
