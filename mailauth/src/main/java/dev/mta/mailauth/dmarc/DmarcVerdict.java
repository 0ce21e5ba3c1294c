package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.results.AuthResult;
import dev.mta.mailauth.results.MethodResult;

import java.util.List;

/**
 * The outcome of a DMARC evaluation.
 *
 * @param result               pass, fail, none (no usable policy record, or no From domain), temperror or permerror
 *                             (a DNS failure the result depends on; permerror also for a From domain that is no
 *                             domain name)
 * @param headerFrom           the author domain as evaluated (A-labels, lower case), "" if there was none
 * @param policy               the policy to apply if the message fails: p, sp or np as RFC 9989 4.10.1 picks it, one
 *                             level lower in test mode; {@link Policy#NONE} when no record applies
 * @param testing              the record asked for test mode (t=y, or pct=0): {@code policy} is already lowered
 * @param policyDomain         where the applied record was found ("" if none)
 * @param organizationalDomain the author domain's organizational domain by the tree walk ("" if not known)
 * @param spfAligned           SPF passed for a domain aligned with the author domain
 * @param dkimAligned          the d= domains of passing signatures aligned with the author domain
 */
public record DmarcVerdict(AuthResult result, String headerFrom, Policy policy, boolean testing, String policyDomain,
                           String organizationalDomain, boolean spfAligned, List<String> dkimAligned) {

    public DmarcVerdict {
        dkimAligned = List.copyOf(dkimAligned);
    }

    static DmarcVerdict without(AuthResult result, String headerFrom) {
        return new DmarcVerdict(result, headerFrom, Policy.NONE, false, "", "", false, List.of());
    }

    /** What to do with the message by the domain owner's wish: the policy if it failed, else nothing. */
    public Policy disposition() {
        return result == AuthResult.FAIL ? policy : Policy.NONE;
    }

    /** The verdict as an Authentication-Results entry: {@code dmarc=<result> header.from=<domain>}, with the policy. */
    public MethodResult methodResult() {
        MethodResult entry = MethodResult.dmarc(result, headerFrom);
        if (!policyDomain.isEmpty() && (result == AuthResult.PASS || result == AuthResult.FAIL)) {
            entry = entry.with("policy", "dmarc", policy.keyword()); // RFC 9989 9.1
        }
        return entry;
    }
}
