package dev.mta.relay.transport.smtp;

/**
 * A kept connection failed before the next hop took MAIL (it closed, or answered 421): it had gone away while idle.
 * Nothing of the message was sent (the body waits for 354), so the transaction is tried again, once, on a new
 * connection, not deferred.
 */
public final class StaleConnectionException extends Exception {
    public StaleConnectionException(String peer, Throwable cause) {
        super("kept connection to " + peer + " failed before MAIL was answered: " + cause.getMessage(), cause);
    }
}
