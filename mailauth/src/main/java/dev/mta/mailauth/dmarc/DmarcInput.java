package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.results.AuthResult;

import java.util.List;
import java.util.Objects;

/**
 * What a DMARC evaluation needs from a message: its author domain and the results of the checks under DMARC. The
 * caller extracts the one RFC5322.From domain (RFC 9989 5.3.1: with none or several, DMARC does not apply, or the
 * caller evaluates each).
 *
 * @param fromDomain the RFC5322.From domain (U-labels allowed)
 * @param spf        the SPF result, null if SPF was not checked
 * @param dkim       one result per DKIM signature checked
 */
public record DmarcInput(String fromDomain, Spf spf, List<Dkim> dkim) {

    /**
     * SPF's result for the MAIL FROM identity (RFC 9989 4.4.2).
     *
     * @param domain the MAIL FROM domain; with a null reverse-path the HELO domain, which SPF then checks as the MAIL
     *               FROM identity (RFC 7208 2.4)
     */
    public record Spf(AuthResult result, String domain) {
        public Spf {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * One DKIM signature's result.
     *
     * @param domain the signature's d= tag
     */
    public record Dkim(AuthResult result, String domain) {
        public Dkim {
            Objects.requireNonNull(result, "result");
        }
    }

    public DmarcInput {
        dkim = dkim == null ? List.of() : List.copyOf(dkim);
    }
}
