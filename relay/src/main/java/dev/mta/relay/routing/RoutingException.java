package dev.mta.relay.routing;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;

/** No next hop could be found: permanently (the domain does not exist, null MX) or for now (DNS trouble). */
public final class RoutingException extends Exception {
    private final EnhancedStatus status;
    private final String description;

    /** @param status its class says whether the failure is permanent (5) or for now (4) */
    public RoutingException(EnhancedStatus status, String description) {
        super(status + " " + description, null, false, false);
        this.status = status;
        this.description = description;
    }

    public boolean isPermanent() {
        return status.statusClass() == 5;
    }

    public EnhancedStatus status() {
        return status;
    }

    /** The recipients' outcome: failed for good, or deferred. */
    public Outcome outcome() {
        return Outcome.local(isPermanent() ? Outcome.Kind.FAILED : Outcome.Kind.DEFERRED, status, description, null);
    }
}
