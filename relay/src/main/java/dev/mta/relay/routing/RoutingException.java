package dev.mta.relay.routing;

/** No next hop could be found: permanently (the domain does not exist, null MX) or for now (DNS trouble). */
public final class RoutingException extends Exception {
    private final boolean permanent;

    public RoutingException(boolean permanent, String message) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public boolean isPermanent() {
        return permanent;
    }
}
