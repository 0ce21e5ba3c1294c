package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;

/**
 * What one SMTP listener's connections tell the metrics beyond the mail event stream: connections and what became
 * of them, the reply class of each command, and why a message was not queued. Called on the event loops, once per
 * connection or command: an implementation records and returns, and allocates nothing.
 */
public interface SmtpObserver {
    /** Hears nothing. */
    SmtpObserver NONE = new SmtpObserver() {
    };

    /** The kinds of listener, as the metrics label them. */
    enum Listener { SMTP, SUBMISSION, SMTPS }

    /** What became of a connection, decided once: greeted, or refused before the greeting (and why). */
    enum ConnectionResult {
        /** Greeted: a session begins. */
        ACCEPTED,
        /** Past {@code --max-connections} (421 4.3.2). */
        REFUSED_LIMIT,
        /** Past {@code --max-connections-per-client} (421 4.7.0). */
        REFUSED_CLIENT_LIMIT,
        /** Past {@code --max-connection-rate} (421 4.7.0). */
        REFUSED_RATE,
        /** Refused by a policy at connect, such as an AUTH lockout. */
        REFUSED_POLICY,
        /** Talked before the greeting pause was over (554). */
        EARLY_TALKER
    }

    /** Why a message whose content was sent was not queued. */
    enum Rejection {
        /** Larger than {@code --max-message-size} (552 5.3.4). */
        SIZE,
        /** A bare CR or LF in the content (550 5.5.2). */
        BARE_NEWLINE,
        /** The disk or the queue's index is full (452 4.3.1). */
        STORAGE_FULL,
        /** Another storage error (451 4.3.0). */
        STORAGE_ERROR,
        /** Refused by a content check: DMARC enforced (550 5.7.26), or a check's temporary error deferred (451 4.7.24). */
        AUTHENTICATION,
        /** Past the DATA deadlines (421 4.4.2). */
        TIMEOUT,
        /** The client went away during DATA. */
        DISCONNECTED
    }

    /** A TCP connection to this listener opened (before any limit is checked). */
    default void connectionOpened() {
    }

    /** A connection that {@link #connectionOpened()} ended. */
    default void connectionClosed() {
    }

    /** What became of a connection. */
    default void connectionResult(ConnectionResult result) {
    }

    /** The first reply to a command: {@code code} is its reply code. */
    default void replied(SmtpVerb verb, int code) {
    }

    /** A message was not queued, for {@code why}. */
    default void messageRejected(Rejection why) {
    }

    /** Gives each listener its observer. */
    interface Factory {
        /** Observers that hear nothing. */
        Factory NONE = listener -> SmtpObserver.NONE;

        SmtpObserver of(Listener listener);
    }
}
