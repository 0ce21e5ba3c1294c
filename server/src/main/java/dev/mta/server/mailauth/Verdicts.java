package dev.mta.server.mailauth;

import dev.mta.mailauth.dkim.DkimResult;
import dev.mta.mailauth.dkim.DkimResults;
import dev.mta.mailauth.dmarc.DmarcVerdict;
import dev.mta.mailauth.dmarc.Policy;
import dev.mta.mailauth.results.AuthResult;
import dev.mta.mailauth.results.AuthResultsBuilder;
import dev.mta.mailauth.results.MethodResult;
import dev.mta.mailauth.spf.SpfResult;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.config.MailauthSettings;

/**
 * One message's results: the Authentication-Results field they make, and what the operator's options make of them
 * (a DMARC reject under enforcement, a deferral on a temporary error).
 *
 * @param mailFromSender the MAIL FROM identity checked (the address, or postmaster@HELO for a null sender)
 */
record Verdicts(SpfResult spfMailFrom, String mailFromSender, SpfResult spfHelo, String helo, DkimResults dkim,
                DmarcVerdict dmarc) {

    /** RFC 7489 7.1 / RFC 7372: the DMARC reject. */
    static final SmtpReply DMARC_REJECT = SmtpReply.of(550, "5.7.26",
            "Unauthenticated email from this domain is not accepted due to its DMARC policy");
    /** RFC 7372 3.3: a temporary failure of the checks. */
    static final SmtpReply TEMPORARY = SmtpReply.of(451, "4.7.24",
            "Temporary failure verifying the sender's authentication; try again later");

    /** {@code Authentication-Results: <authservId>; spf=...; dkim=...; dmarc=...} with its CRLF. */
    String field(String authservId) {
        AuthResultsBuilder b = new AuthResultsBuilder(authservId);
        b.add(MethodResult.spf(spfMailFrom.result(), mailFromSender));
        if (!helo.isEmpty()) {
            b.add(MethodResult.spfHelo(spfHelo.result(), helo));
        }
        if (dkim.results().isEmpty()) {
            b.add(MethodResult.of("dkim", AuthResult.NONE));
        }
        for (DkimResult r : dkim.results()) {
            // An internal error has no signature to name.
            MethodResult entry = r.domain().isEmpty() ? MethodResult.of("dkim", r.result())
                    : MethodResult.dkim(r.result(), r.domain(), r.selector(), r.headerB());
            b.add(r.reason().isEmpty() || r.result() == AuthResult.PASS ? entry : entry.withReason(r.reason()));
        }
        b.add(dmarc.methodResult());
        return b.field();
    }

    /** The reply that refuses the message, or null to accept it. */
    SmtpReply refusal(MailauthSettings settings) {
        if (settings.enforceReject() && dmarc.result() == AuthResult.FAIL && dmarc.disposition() == Policy.REJECT) {
            return DMARC_REJECT;
        }
        if (settings.deferOnTempError() && anyTempError()) {
            return TEMPORARY;
        }
        return null;
    }

    boolean anyTempError() {
        return spfMailFrom.result() == AuthResult.TEMPERROR || spfHelo.result() == AuthResult.TEMPERROR
                || dmarc.result() == AuthResult.TEMPERROR
                || dkim.results().stream().anyMatch(r -> r.result() == AuthResult.TEMPERROR);
    }
}
