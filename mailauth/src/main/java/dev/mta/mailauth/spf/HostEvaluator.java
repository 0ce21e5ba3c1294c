package dev.mta.mailauth.spf;

import dev.mta.mailauth.results.AuthResult;
import dev.mta.mailauth.spf.SpfRecord.Directive;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The check_host() function of RFC 7208 section 4 for one check: finds and parses the domain's record, evaluates its
 * directives left to right, then redirect, and for a fail the explanation. Includes and redirects recurse into it, and
 * share its limits; every step composes on the DNS answers, no thread waits.
 */
final class HostEvaluator {
    /** A completed check_host(): pass, fail, softfail, neutral or none (errors travel as {@link SpfAbort}). */
    record Verdict(AuthResult result, Optional<String> explanation) {
        static Verdict of(AuthResult result) {
            return new Verdict(result, Optional.empty());
        }
    }

    private final Resolver dns;
    private final LookupLimits limits;
    private final TargetNames targets;
    private final MechanismMatcher matcher;
    private final Explanation explanation;

    HostEvaluator(Resolver dns, LookupLimits limits, MacroString defaultExplanation) {
        this.dns = dns;
        this.limits = limits;
        this.targets = new TargetNames(dns, limits);
        this.matcher = new MechanismMatcher(dns, limits, targets);
        this.explanation = new Explanation(dns, targets, defaultExplanation);
    }

    /**
     * check_host() for {@code values.domain()}.
     *
     * @param explain whether a fail looks up its explanation (not inside include, 6.2)
     */
    CompletionStage<Verdict> checkHost(MacroValues values, boolean explain) {
        return RecordLookup.find(dns, values.domain()).thenCompose(text -> text.isEmpty()
                ? CompletableFuture.completedFuture(Verdict.of(AuthResult.NONE))
                : evaluate(SpfRecordParser.parse(text.get()), values, explain, 0));
    }

    /**
     * The directives from {@code from} on. Those that ask no DNS are run in this loop; only a DNS term recurses, and
     * there are at most 10 of those in a whole check, so the stack stays shallow even when answers come at once.
     */
    private CompletionStage<Verdict> evaluate(SpfRecord record, MacroValues values, boolean explain, int from) {
        List<Directive> directives = record.directives();
        for (int i = from; i < directives.size(); i++) {
            Directive d = directives.get(i);
            Mechanism m = d.mechanism();
            if (!m.queriesDns()) {
                if (m instanceof Mechanism.All
                        || m instanceof Mechanism.Ip ip && ip.network().contains(values.ip().getAddress())) {
                    return matched(record, d, values, explain);
                }
                continue;
            }
            limits.countTerm();
            int next = i + 1;
            CompletionStage<Boolean> match = m instanceof Mechanism.Include include
                    ? include(include, values)
                    : matcher.matches(m, values);
            return match.thenCompose(hit -> hit
                    ? matched(record, d, values, explain)
                    : evaluate(record, values, explain, next));
        }
        if (record.redirect().isPresent()) {
            return redirect(record.redirect().get(), values, explain);
        }
        return CompletableFuture.completedFuture(Verdict.of(AuthResult.NEUTRAL));
    }

    private CompletionStage<Verdict> matched(SpfRecord record, Directive d, MacroValues values, boolean explain) {
        if (d.result() == AuthResult.FAIL && explain) {
            return explanation.of(record, values).thenApply(text -> new Verdict(AuthResult.FAIL, Optional.of(text)));
        }
        return CompletableFuture.completedFuture(Verdict.of(d.result()));
    }

    /** include (5.2): pass matches; fail, softfail and neutral do not; none is a permerror; errors pass through. */
    private CompletionStage<Boolean> include(Mechanism.Include include, MacroValues values) {
        return targets.resolve(Optional.of(include.target()), values, true).thenCompose(name -> {
            if (name.isEmpty()) {
                throw SpfAbort.permerror("include target cannot be looked up");
            }
            return checkHost(values.withDomain(name.get()), false).thenApply(inner -> switch (inner.result()) {
                case PASS -> true;
                case NONE -> throw SpfAbort.permerror("included domain " + name.get() + " has no SPF record");
                default -> false;
            });
        });
    }

    /** redirect= (6.1): the target's result is the result, its exp= applies; none is a permerror. */
    private CompletionStage<Verdict> redirect(MacroString target, MacroValues values, boolean explain) {
        limits.countTerm();
        return targets.resolve(Optional.of(target), values, true).thenCompose(name -> {
            if (name.isEmpty()) {
                throw SpfAbort.permerror("redirect target cannot be looked up");
            }
            return checkHost(values.withDomain(name.get()), explain).thenApply(inner -> {
                if (inner.result() == AuthResult.NONE) {
                    throw SpfAbort.permerror("redirect domain " + name.get() + " has no SPF record");
                }
                return inner;
            });
        });
    }
}
