package dev.mta.mailauth.dmarc;

import java.util.List;
import java.util.Optional;

/**
 * What one DNS Tree Walk found: the DMARC records on the way, longest name first, and the failed query that cut it
 * short, if one did. Picks the organizational domain (RFC 9989 4.10.2) and the record a message's policy comes from
 * (RFC 9989 4.10.1).
 *
 * @param failure the query that failed (TEMPERROR or PERMERROR), null if the walk ended normally
 */
record WalkResult(String start, List<RecordLookup> found, RecordLookup failure) {

    WalkResult {
        found = List.copyOf(found);
    }

    static WalkResult complete(String start, List<RecordLookup> found) {
        return new WalkResult(start, found, null);
    }

    static WalkResult failed(String start, List<RecordLookup> found, RecordLookup failure) {
        return new WalkResult(start, found, failure);
    }

    boolean failed() {
        return failure != null;
    }

    /**
     * The organizational domain of the start (RFC 9989 4.10.2): from the longest name to the shortest, a record with
     * psd=n is it; one with psd=y (other than the start's) puts it one label below; else the record with the fewest
     * labels; with no record, the start itself. Empty when a failed query leaves it unknown.
     */
    Optional<String> organizationalDomain() {
        if (failed()) {
            return Optional.empty();
        }
        for (RecordLookup lookup : found) {
            DmarcRecord.Psd psd = lookup.record().psd();
            if (psd == DmarcRecord.Psd.N) {
                return Optional.of(lookup.domain());
            }
            if (psd == DmarcRecord.Psd.Y && !lookup.domain().equals(start)) {
                return Optional.of(oneLabelBelow(lookup.domain()));
            }
        }
        return Optional.of(found.isEmpty() ? start : found.get(found.size() - 1).domain());
    }

    /**
     * The record the start's policy comes from (RFC 9989 4.10.1): the start's own, else its organizational domain's,
     * else that of the public suffix domain (psd=y) above it. Empty when there is none; a failed walk leaves it
     * unknown unless the start's own record was found before the failure.
     */
    Optional<RecordLookup> policyRecord() {
        if (!found.isEmpty() && found.get(0).domain().equals(start)) {
            return Optional.of(found.get(0));
        }
        Optional<String> org = organizationalDomain();
        if (org.isEmpty()) {
            return Optional.empty();
        }
        RecordLookup psd = null;
        for (RecordLookup lookup : found) {
            if (lookup.domain().equals(org.get())) {
                return Optional.of(lookup);
            }
            if (lookup.record().psd() == DmarcRecord.Psd.Y) {
                psd = lookup;
            }
        }
        return Optional.ofNullable(psd);
    }

    /** The name one label longer than {@code ancestor} on the way down to the start. */
    private String oneLabelBelow(String ancestor) {
        return DomainNames.lastLabels(start, DomainNames.labelCount(ancestor) + 1);
    }
}
