package dev.mta.mailauth.results;

import java.util.Locale;

/**
 * A method's result as RFC 8601 names it (section 2.7): SPF uses none, neutral, pass, fail, softfail, temperror and
 * permerror; DKIM none, pass, fail, policy, neutral, temperror and permerror; DMARC none, pass, fail, temperror and
 * permerror.
 */
public enum AuthResult {
    NONE, PASS, FAIL, SOFTFAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

    /** The result's word in an Authentication-Results header. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
