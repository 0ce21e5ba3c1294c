package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.results.AuthResult;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DMARC by RFC 9989: finds the author domain's policy by the DNS Tree Walk, checks the SPF and DKIM results for
 * identifier alignment and gives the {@link DmarcVerdict}. Asynchronous over {@link DnsLookup}; never blocks, and its
 * stage never fails (a DNS failure becomes temperror). Thread-safe; one instance serves every message.
 */
public final class DmarcEvaluator {
    private final DnsLookup dns;

    public DmarcEvaluator(DnsLookup dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    public CompletionStage<DmarcVerdict> evaluate(DmarcInput input) {
        String from = input.fromDomain();
        if (from == null || from.isBlank()) {
            return CompletableFuture.completedFuture(DmarcVerdict.without(AuthResult.NONE, ""));
        }
        Optional<String> author = DomainNames.normalize(from);
        if (author.isEmpty()) {
            // Not a domain name: no policy can be looked up, and a later try will not do better.
            return CompletableFuture.completedFuture(DmarcVerdict.without(AuthResult.PERMERROR, ""));
        }
        try {
            return new DmarcEvaluation(dns, author.get(), input).run()
                    .exceptionally(failure -> DmarcVerdict.without(AuthResult.TEMPERROR, author.get()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(DmarcVerdict.without(AuthResult.TEMPERROR, author.get()));
        }
    }
}
