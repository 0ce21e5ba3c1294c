package dev.mta.mailauth.spf;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a domain-spec into the name to query (RFC 7208 4.8, 7.3): macros expanded, %{p} looked up first when it is
 * used, the name cut to fit DNS. Empty when no query can be made of it.
 */
final class TargetNames {
    private final Resolver dns;
    private final LookupLimits limits;

    TargetNames(Resolver dns, LookupLimits limits) {
        this.dns = dns;
        this.limits = limits;
    }

    /**
     * @param spec     the domain-spec; none means the current domain
     * @param countPtr whether a %{p} lookup counts as a DNS-querying term (it does in mechanisms and redirect, 4.6.4;
     *                 not for exp, which is looked up after the result is known)
     */
    CompletionStage<Optional<String>> resolve(Optional<MacroString> spec, MacroValues values, boolean countPtr) {
        if (spec.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.of(values.domain()));
        }
        MacroString s = spec.get();
        if (!s.uses('p')) {
            return CompletableFuture.completedFuture(DomainNames.forQuery(MacroExpander.expand(s, values)));
        }
        if (countPtr) {
            limits.countTerm();
        }
        return ValidatedNames.forMacro(dns, values.ip(), values.domain())
                .thenApply(p -> DomainNames.forQuery(MacroExpander.expand(s, values.withValidated(p))));
    }
}
