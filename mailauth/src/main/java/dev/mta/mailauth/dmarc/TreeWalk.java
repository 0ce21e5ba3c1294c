package dev.mta.mailauth.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The DNS Tree Walk of RFC 9989 4.10: from a domain up to its top label, one DMARC record query per name, at most
 * eight per walk (a name of eight or more labels jumps straight to its last seven after the first query), stopping
 * at a record with psd=y or psd=n. No public suffix list.
 */
final class TreeWalk {
    /** Labels left after the jump: with the first query, a walk makes at most eight (RFC 9989 4.10 step 4). */
    static final int JUMP_TO_LABELS = 7;

    private final PolicyRecords records;

    TreeWalk(PolicyRecords records) {
        this.records = records;
    }

    /** The names a walk from {@code domain} asks about, in order. */
    static List<String> targets(String domain) {
        List<String> targets = new ArrayList<>();
        targets.add(domain);
        int labels = DomainNames.labelCount(domain);
        for (int n = Math.min(labels - 1, JUMP_TO_LABELS); n >= 1; n--) {
            targets.add(DomainNames.lastLabels(domain, n));
        }
        return targets;
    }

    /** Walks from {@code domain}, which must be normalized ({@link DomainNames#normalize}). */
    CompletionStage<WalkResult> walk(String domain) {
        return step(domain, targets(domain), 0, new ArrayList<>());
    }

    private CompletionStage<WalkResult> step(String start, List<String> targets, int next, List<RecordLookup> found) {
        if (next == targets.size()) {
            return CompletableFuture.completedFuture(WalkResult.complete(start, found));
        }
        return records.at(targets.get(next)).thenCompose(lookup -> {
            if (lookup.failed()) {
                return CompletableFuture.completedFuture(WalkResult.failed(start, found, lookup));
            }
            if (lookup.found()) {
                found.add(lookup);
                if (lookup.record().psd() != DmarcRecord.Psd.U) {
                    return CompletableFuture.completedFuture(WalkResult.complete(start, found));
                }
            }
            return step(start, targets, next + 1, found);
        });
    }
}
