package dev.mta.server.policy;

import java.net.InetAddress;

/** What a policy may know of a session: who connected, how it introduced itself. A live view: read, keep nothing. */
public interface SessionFacts {
    /** The client's address; null when the transport does not know it. */
    InetAddress clientAddress();

    /** The name given in the last HELO/EHLO; null before one. */
    String heloName();

    /** Whether the client greeted with EHLO. */
    boolean esmtp();

    /** Whether the connection is under TLS (after a STARTTLS handshake, or on the implicit-TLS listener). */
    boolean tlsActive();

    /** The user the client authenticated as (SMTP AUTH), or null when it has not. */
    default String authenticatedUser() {
        return null;
    }

    /**
     * Whether the client has authenticated (SMTP AUTH). An authenticated client may relay as a client in mynetworks
     * may ({@link RelayAccess}), and may send on the submission listener ({@link AuthenticationRequired}).
     */
    default boolean authenticated() {
        return authenticatedUser() != null;
    }
}
