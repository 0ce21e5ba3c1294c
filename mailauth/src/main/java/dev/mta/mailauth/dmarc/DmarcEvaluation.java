package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.results.AuthResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One message's DMARC evaluation: the author domain's tree walk gives the policy record and the organizational
 * domain; each passing SPF or DKIM identifier is then checked for alignment (with a walk of its own when relaxed
 * alignment needs its organizational domain), and the np tag's existence check runs beside them.
 */
final class DmarcEvaluation {
    /** An identifier's alignment with the author domain, or the DNS failure that leaves it unknown. */
    private enum Alignment { ALIGNED, NOT_ALIGNED, TEMPERROR, PERMERROR }

    private final String author;
    private final DmarcInput input;
    private final TreeWalk treeWalk;
    private final DomainExistence existence;
    private final Map<String, CompletionStage<WalkResult>> walks = new ConcurrentHashMap<>();

    DmarcEvaluation(DnsLookup dns, String author, DmarcInput input) {
        this.author = author;
        this.input = input;
        this.treeWalk = new TreeWalk(new PolicyRecords(dns));
        this.existence = new DomainExistence(dns);
    }

    CompletionStage<DmarcVerdict> run() {
        return walk(author).thenCompose(authorWalk -> {
            Optional<RecordLookup> applied = authorWalk.policyRecord();
            if (applied.isEmpty()) {
                AuthResult result = authorWalk.failed() ? error(authorWalk.failure()) : AuthResult.NONE;
                return CompletableFuture.completedFuture(DmarcVerdict.without(result, author));
            }
            if (!applied.get().record().usable()) {
                return CompletableFuture.completedFuture(DmarcVerdict.without(AuthResult.NONE, author));
            }
            return evaluate(authorWalk, applied.get());
        });
    }

    private CompletionStage<DmarcVerdict> evaluate(WalkResult authorWalk, RecordLookup applied) {
        DmarcRecord record = applied.record();
        Map<String, CompletableFuture<Alignment>> dkim = new LinkedHashMap<>();
        for (DmarcInput.Dkim result : input.dkim()) {
            if (result.result() == AuthResult.PASS) {
                DomainNames.normalize(result.domain()).ifPresent(d -> dkim.computeIfAbsent(d,
                        id -> alignment(id, record.adkim(), authorWalk).toCompletableFuture()));
            }
        }
        CompletableFuture<Alignment> spf = spfIdentifier()
                .map(id -> alignment(id, record.aspf(), authorWalk).toCompletableFuture())
                .orElseGet(() -> CompletableFuture.completedFuture(Alignment.NOT_ALIGNED));
        CompletableFuture<DomainExistence.Answer> exists = existenceIfNeeded(applied).toCompletableFuture();

        List<CompletableFuture<?>> all = new ArrayList<>(dkim.values());
        all.add(spf);
        all.add(exists);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            // Everything is complete here: getNow never waits.
            List<String> dkimAligned = new ArrayList<>();
            List<Alignment> outcomes = new ArrayList<>();
            outcomes.add(spf.getNow(Alignment.TEMPERROR));
            dkim.forEach((domain, outcome) -> {
                Alignment a = outcome.getNow(Alignment.TEMPERROR);
                outcomes.add(a);
                if (a == Alignment.ALIGNED) {
                    dkimAligned.add(domain);
                }
            });
            AuthResult result = result(outcomes);
            DomainExistence.Answer answer = exists.getNow(DomainExistence.Answer.TEMPERROR);
            if (answer == DomainExistence.Answer.TEMPERROR && result == AuthResult.FAIL) {
                result = AuthResult.TEMPERROR; // the policy for a failing message is not known
            }
            Policy policy = policy(applied, answer);
            return new DmarcVerdict(result, author, record.testing() ? policy.oneLevelLower() : policy,
                    record.testing(), applied.domain(), authorWalk.organizationalDomain().orElse(""),
                    spf.getNow(Alignment.TEMPERROR) == Alignment.ALIGNED, dkimAligned);
        });
    }

    /** Pass if any identifier aligns; else a DNS failure that left one unknown; else fail (RFC 9989 5.3.5, 5.3.6). */
    private static AuthResult result(List<Alignment> outcomes) {
        if (outcomes.contains(Alignment.ALIGNED)) {
            return AuthResult.PASS;
        }
        if (outcomes.contains(Alignment.TEMPERROR)) {
            return AuthResult.TEMPERROR;
        }
        return outcomes.contains(Alignment.PERMERROR) ? AuthResult.PERMERROR : AuthResult.FAIL;
    }

    /**
     * p for the author domain's own record; for an ancestor's, sp if the author domain exists, np if not (RFC 9989
     * 4.10.1). When existence is unknown the message passed (a failing one is temperror), and sp stands.
     */
    private Policy policy(RecordLookup applied, DomainExistence.Answer answer) {
        DmarcRecord record = applied.record();
        if (applied.domain().equals(author)) {
            return record.p();
        }
        return answer == DomainExistence.Answer.NON_EXISTENT ? record.nonExistentPolicy() : record.subdomainPolicy();
    }

    /** The existence check, only when np could change the policy: an ancestor's record whose np differs from sp. */
    private CompletionStage<DomainExistence.Answer> existenceIfNeeded(RecordLookup applied) {
        DmarcRecord record = applied.record();
        if (applied.domain().equals(author) || record.nonExistentPolicy() == record.subdomainPolicy()) {
            return CompletableFuture.completedFuture(DomainExistence.Answer.EXISTS);
        }
        return existence.of(author);
    }

    /** The SPF-authenticated identifier: the domain SPF passed (RFC 9989 4.4.2). */
    private Optional<String> spfIdentifier() {
        DmarcInput.Spf spf = input.spf();
        if (spf == null || spf.result() != AuthResult.PASS) {
            return Optional.empty();
        }
        return DomainNames.normalize(spf.domain());
    }

    /** Strict: the same name. Relaxed: the same organizational domain, each found by its own tree walk. */
    private CompletionStage<Alignment> alignment(String identifier, AlignmentMode mode, WalkResult authorWalk) {
        if (identifier.equals(author)) {
            return CompletableFuture.completedFuture(Alignment.ALIGNED);
        }
        if (mode == AlignmentMode.STRICT || !DomainNames.shareTopLabel(identifier, author)) {
            return CompletableFuture.completedFuture(Alignment.NOT_ALIGNED);
        }
        Optional<String> authorOrg = authorWalk.organizationalDomain();
        if (authorOrg.isEmpty()) {
            return CompletableFuture.completedFuture(alignmentError(authorWalk.failure()));
        }
        return walk(identifier).thenApply(walk -> walk.organizationalDomain()
                .map(org -> org.equals(authorOrg.get()) ? Alignment.ALIGNED : Alignment.NOT_ALIGNED)
                .orElseGet(() -> alignmentError(walk.failure())));
    }

    private CompletionStage<WalkResult> walk(String domain) {
        return walks.computeIfAbsent(domain, treeWalk::walk);
    }

    private static AuthResult error(RecordLookup failure) {
        return failure.status() == RecordLookup.Status.PERMERROR ? AuthResult.PERMERROR : AuthResult.TEMPERROR;
    }

    private static Alignment alignmentError(RecordLookup failure) {
        return failure.status() == RecordLookup.Status.PERMERROR ? Alignment.PERMERROR : Alignment.TEMPERROR;
    }
}
