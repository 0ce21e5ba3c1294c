package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Whether an author domain exists, for the np tag: RFC 9989 3.2.13 takes NXDOMAIN (RFC 8020) as non-existence. A, AAAA
 * and MX are asked together, as RFC 9091 did: any other answer from any of them means the name exists, so one
 * server that wrongly says NXDOMAIN for one type does not make a live domain non-existent.
 */
final class DomainExistence {
    /** The answer: the name exists, does not, or the queries could not tell. */
    enum Answer { EXISTS, NON_EXISTENT, TEMPERROR }

    private final DnsLookup dns;

    DomainExistence(DnsLookup dns) {
        this.dns = dns;
    }

    CompletionStage<Answer> of(String domain) {
        List<CompletableFuture<DnsResult.Status>> answers = List.of(
                status(() -> dns.a(domain)), status(() -> dns.aaaa(domain)), status(() -> dns.mx(domain)));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            boolean unknown = false;
            for (CompletableFuture<DnsResult.Status> answer : answers) {
                DnsResult.Status status = answer.getNow(DnsResult.Status.TEMPFAIL); // all done: no wait
                if (status == DnsResult.Status.TEMPFAIL) {
                    unknown = true;
                } else if (status != DnsResult.Status.NXDOMAIN) {
                    return Answer.EXISTS;
                }
            }
            return unknown ? Answer.TEMPERROR : Answer.NON_EXISTENT;
        });
    }

    /** A query's status; a failed stage, or a lookup that throws, counts as a temporary failure. */
    private static CompletableFuture<DnsResult.Status> status(
            Supplier<? extends CompletionStage<? extends DnsResult<?>>> query) {
        try {
            return query.get()
                    .handle((result, failure) -> failure == null && result != null
                            ? result.status()
                            : DnsResult.Status.TEMPFAIL)
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(DnsResult.Status.TEMPFAIL);
        }
    }
}
