package dev.mta.mailauth.dmarc;

import java.util.List;

/**
 * A DMARC Policy Record as read (RFC 9989 4.7), defaults filled in. A record with no valid p (or a bad sp or np)
 * but a valid rua is read as "p=none" (RFC 9989 4.10.1); one without even that is {@link #usable() unusable}: it
 * still counts in the DNS Tree Walk, but no DMARC processing follows from it.
 *
 * @param usable   false: no valid p (or a bad sp/np) and no valid reporting URI, so DMARC does not apply
 * @param p        the policy for the domain itself ({@link Policy#NONE} when not usable)
 * @param sp       the policy for existing subdomains, null when absent
 * @param np       the policy for non-existent subdomains, null when absent
 * @param testing  t=y, or (RFC 7489) pct=0 without a t tag: apply the policy one level lower
 * @param rua      aggregate report URIs, kept for reporting (unused here)
 * @param ruf      failure report URIs, kept for reporting (unused here)
 */
public record DmarcRecord(boolean usable, Policy p, Policy sp, Policy np, AlignmentMode adkim, AlignmentMode aspf,
                          boolean testing, Psd psd, List<String> rua, List<String> ruf) {

    /** The psd tag (RFC 9989 4.7): whether the record's domain is a public suffix domain. */
    public enum Psd {
        /** psd=y: a public suffix domain; the organizational domain is one label below it. */
        Y,
        /** psd=n: the organizational domain for itself and its subdomains. */
        N,
        /** psd=u (the default): the tree walk decides. */
        U
    }

    public DmarcRecord {
        rua = List.copyOf(rua);
        ruf = List.copyOf(ruf);
    }

    /** The policy sp names, or p's (RFC 9989 4.7, sp). */
    public Policy subdomainPolicy() {
        return sp != null ? sp : p;
    }

    /** The policy np names, or else sp's, or else p's (RFC 9989 4.7, np). */
    public Policy nonExistentPolicy() {
        return np != null ? np : subdomainPolicy();
    }
}
