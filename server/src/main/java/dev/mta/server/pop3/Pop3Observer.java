package dev.mta.server.pop3;

/**
 * What the POP3 sessions tell the metrics: sessions begun, logins and how they ended, messages retrieved and
 * deleted. Called on the event loops: an implementation records and returns. Sessions know no metrics library.
 */
public interface Pop3Observer {
    /** Hears nothing. */
    Pop3Observer NONE = new Pop3Observer() {
    };

    /** How a login (PASS or AUTH) ended. */
    enum LoginResult {
        /** Credentials right and the maildrop opened. */
        OK,
        /** Wrong credentials ({@code [AUTH]}), or refused for the address's failures. */
        FAILED,
        /** Credentials right, the maildrop held by another session ({@code [IN-USE]}). */
        IN_USE,
        /** Our problem: the check or the maildrop could not be done ({@code [SYS/TEMP]}). */
        ERROR
    }

    /** A connection was greeted. */
    default void sessionOpened() {
    }

    default void login(LoginResult result) {
    }

    /** A RETR sent a whole message. */
    default void messageRetrieved() {
    }

    /** The UPDATE state removed {@code count} messages. */
    default void messagesDeleted(int count) {
    }
}
