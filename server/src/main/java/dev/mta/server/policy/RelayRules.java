package dev.mta.server.policy;

import dev.mta.server.config.RecipientVerification;
import dev.mta.server.config.RelayControl;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay rules in force: the relay control (mynetworks, relay and local domains) and the domains whose
 * recipients call-ahead verifies. Sessions read them at every RCPT on their event loops; a reload (SIGHUP, off the
 * event loops) swaps in new immutable ones at once, both together, so a recipient is judged by the old rules or the
 * new ones, never half of each. Sessions under way follow the new rules from their next RCPT.
 */
public final class RelayRules {
    /** What is swapped: both parts in one reference. */
    private record Rules(RelayControl control, RecipientVerification verification) {
        Rules {
            if (control == null || verification == null) {
                throw new IllegalArgumentException("relay control and recipient verification are required");
            }
        }
    }

    private final AtomicReference<Rules> rules;

    private RelayRules(Rules rules) {
        this.rules = new AtomicReference<>(rules);
    }

    /** Starting with {@code control}, verifying nothing. */
    public static RelayRules of(RelayControl control) {
        return of(control, RecipientVerification.NONE);
    }

    /** Starting with {@code control}, verifying the relay domains {@code verification} names. */
    public static RelayRules of(RelayControl control, RecipientVerification verification) {
        return new RelayRules(new Rules(control, verification));
    }

    /** The relay control in force. */
    public RelayControl current() {
        return rules.get().control();
    }

    /** Whether recipients of {@code domain} (lower case) are verified by call-ahead under the rules in force. */
    public boolean isVerified(String domain) {
        return rules.get().verification().isRelayDomain(domain);
    }

    /** Puts {@code control} and {@code verification}'s domains in force for every recipient from now on. */
    public void replace(RelayControl control, RecipientVerification verification) {
        rules.set(new Rules(control, verification));
    }
}
