package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.server.policy.SessionFacts;

import java.net.InetAddress;

/**
 * What is known of one session: the client, its greeting, where it is in the command sequence, and its transaction.
 * Policies read it as {@link SessionFacts}. Event loop only.
 */
final class Conversation implements SessionFacts {
    private InetAddress clientAddress;
    private String clientText = "unknown";
    private String heloName;
    private boolean esmtp;
    private SessionState state = SessionState.CONNECTED;
    private Transaction transaction;
    private boolean tlsActive;
    private String authenticatedUser;
    private final CommandTally commands = new CommandTally();

    /** The connection is up; {@code address} is null when the transport does not know it. */
    void connected(InetAddress address) {
        clientAddress = address;
        // Once: it names the client in every log line of the session.
        clientText = address == null ? "unknown" : address.getHostAddress();
    }

    /** HELO/EHLO accepted: like RSET it ends any transaction (RFC 5321 4.1.4). */
    void greeted(String name, SmtpVerb verb) {
        endTransaction();
        heloName = name;
        esmtp = verb == SmtpVerb.EHLO;
        state = CommandSequence.next(state, verb);
    }

    /** {@code verb} was accepted: the state moves on as {@link CommandSequence} says. */
    void accepted(SmtpVerb verb) {
        state = CommandSequence.next(state, verb);
    }

    /** MAIL accepted with {@code tx}. */
    void begin(Transaction tx) {
        transaction = tx;
        accepted(SmtpVerb.MAIL);
    }

    /** RSET: the transaction, if any, is dropped. */
    void reset() {
        endTransaction();
        accepted(SmtpVerb.RSET);
    }

    /** STARTTLS answered with 220: the handshake runs and nothing from before it carries over. */
    void startingTls() {
        endTransaction();
        accepted(SmtpVerb.STARTTLS);
    }

    /**
     * The connection is under TLS (the STARTTLS handshake is done, or the listener is implicit TLS): the session
     * starts over, as RFC 3207 4.2 says: no greeting, no transaction; the client must EHLO again.
     */
    void tlsEstablished() {
        endTransaction();
        heloName = null;
        esmtp = false;
        tlsActive = true;
        authenticatedUser = null; // RFC 3207 4.2: nothing from before the handshake holds
        state = CommandSequence.afterTlsHandshake();
    }

    /** AUTH accepted: SASL responses are read until the exchange ends ({@link #authEnded}). */
    void authenticating() {
        accepted(SmtpVerb.AUTH);
    }

    /** The SASL exchange is over: {@code user} authenticated, or null when it failed or was cancelled. */
    void authEnded(String user) {
        if (user != null) {
            authenticatedUser = user;
        }
        state = CommandSequence.afterAuth();
    }

    /** The final dot: a new transaction may start (this one ends with its reply). */
    void contentEnded() {
        state = CommandSequence.afterContent();
    }

    /** The transaction is over (queued, refused, reset, or the client gone): its envelope budget goes back. */
    void endTransaction() {
        if (transaction != null) {
            transaction.end();
            transaction = null;
        }
    }

    SessionState state() {
        return state;
    }

    /** The transaction under way; null outside MAIL, RCPT and DATA. */
    Transaction transaction() {
        return transaction;
    }

    /** The session's commands so far, by verb, and those that succeeded. */
    CommandTally commands() {
        return commands;
    }

    /** The client's address as logs show it. */
    String clientText() {
        return clientText;
    }

    @Override
    public InetAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public String heloName() {
        return heloName;
    }

    @Override
    public boolean esmtp() {
        return esmtp;
    }

    @Override
    public String authenticatedUser() {
        return authenticatedUser;
    }

    @Override
    public boolean tlsActive() {
        return tlsActive;
    }
}
