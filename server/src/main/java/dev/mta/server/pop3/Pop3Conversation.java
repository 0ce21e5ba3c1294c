package dev.mta.server.pop3;

import dev.mta.protocol.pop3.Pop3State;

import java.net.InetAddress;

/** What is known of one POP3 session: the client, TLS, the state, and who logged in. Event loop only. */
final class Pop3Conversation {
    private InetAddress client;
    private String clientText = "unknown";
    private boolean tlsActive;
    private Pop3State state = Pop3State.AUTHORIZATION;
    private String user;

    void connected(InetAddress address, boolean tls) {
        client = address;
        clientText = address == null ? "unknown" : address.getHostAddress();
        tlsActive = tls;
    }

    InetAddress client() {
        return client;
    }

    String clientText() {
        return clientText;
    }

    boolean tlsActive() {
        return tlsActive;
    }

    /** STLS done (RFC 2595 4): back to AUTHORIZATION, no user named, TLS from now on. */
    void tlsEstablished() {
        tlsActive = true;
        state = Pop3State.AUTHORIZATION;
        user = null;
    }

    Pop3State state() {
        return state;
    }

    /** The maildrop of {@code name} is open: TRANSACTION. */
    void loggedIn(String name) {
        user = name;
        state = Pop3State.TRANSACTION;
    }

    /** QUIT in TRANSACTION. */
    void updating() {
        state = Pop3State.UPDATE;
    }

    /** Who logged in, or null. */
    String user() {
        return user;
    }
}
