package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;

import java.util.EnumMap;
import java.util.Map;

/**
 * The order of commands (RFC 5321 4.1.4) as data: which verb each state refuses, with its 503, and the state an
 * accepted verb leads to. Pure, so it is tested without a socket. A verb not listed for a state is allowed in it
 * (RSET, NOOP, QUIT, VRFY, EXPN, HELP and HELO/EHLO everywhere commands are read).
 */
final class CommandSequence {
    private static final Map<SessionState, Map<SmtpVerb, SmtpReply>> REFUSED = new EnumMap<>(SessionState.class);
    static final SmtpReply STARTTLS_IN_TRANSACTION = SmtpReply.of(503, "5.5.1",
            "Error: STARTTLS not allowed during a mail transaction");

    static final SmtpReply AUTH_IN_TRANSACTION = SmtpReply.of(503, "5.5.1", "Error: MAIL transaction in progress");

    static {
        refuse(SessionState.CONNECTED, Replies.SEND_HELO_FIRST, SmtpVerb.MAIL, SmtpVerb.RCPT, SmtpVerb.DATA,
                SmtpVerb.AUTH);
        refuse(SessionState.GREETED, Replies.NEED_MAIL, SmtpVerb.RCPT, SmtpVerb.DATA);
        refuse(SessionState.MAIL, Replies.NESTED_MAIL, SmtpVerb.MAIL);
        refuse(SessionState.MAIL, Replies.NEED_RCPT, SmtpVerb.DATA);
        refuse(SessionState.RCPT, Replies.NESTED_MAIL, SmtpVerb.MAIL);
        // RFC 3207 4: not in the middle of a transaction (whether TLS is on already, CommandHandler asks).
        refuse(SessionState.MAIL, STARTTLS_IN_TRANSACTION, SmtpVerb.STARTTLS);
        refuse(SessionState.RCPT, STARTTLS_IN_TRANSACTION, SmtpVerb.STARTTLS);
        // RFC 4954 4: not during a mail transaction.
        refuse(SessionState.MAIL, AUTH_IN_TRANSACTION, SmtpVerb.AUTH);
        refuse(SessionState.RCPT, AUTH_IN_TRANSACTION, SmtpVerb.AUTH);
    }


    private CommandSequence() {
    }

    private static void refuse(SessionState state, SmtpReply reply, SmtpVerb... verbs) {
        Map<SmtpVerb, SmtpReply> row = REFUSED.computeIfAbsent(state, s -> new EnumMap<>(SmtpVerb.class));
        for (SmtpVerb verb : verbs) {
            row.put(verb, reply);
        }
    }

    /** The 503 for {@code verb} out of sequence in {@code state}, or null when it may be given there. */
    static SmtpReply refusal(SessionState state, SmtpVerb verb) {
        if (!state.takesCommands()) {
            // The framer hands the session content (or nothing) in these states; a command here is a bug of ours.
            throw new IllegalStateException("no commands are read in state " + state + ", got " + verb);
        }
        Map<SmtpVerb, SmtpReply> row = REFUSED.get(state);
        return row == null ? null : row.get(verb);
    }

    /** The state after {@code verb} was accepted (and answered with a positive reply) in {@code state}. */
    static SessionState next(SessionState state, SmtpVerb verb) {
        switch (verb) {
            case HELO:
            case EHLO:
                return SessionState.GREETED; // a second one also ends any transaction, as RSET does
            case RSET:
                return state == SessionState.CONNECTED ? SessionState.CONNECTED : SessionState.GREETED;
            case MAIL:
                return SessionState.MAIL;
            case RCPT:
                return SessionState.RCPT;
            case DATA:
                return SessionState.DATA;
            case STARTTLS:
                return SessionState.TLS_HANDSHAKE;
            case AUTH:
                return SessionState.AUTH;
            default:
                return state;
        }
    }

    /** The state once the TLS handshake is done: everything before is forgotten, the client greets again (RFC 3207 4.2). */
    static SessionState afterTlsHandshake() {
        return SessionState.CONNECTED;
    }

    /** The state once the SASL exchange is over, whatever its outcome (RFC 4954 4). */
    static SessionState afterAuth() {
        return SessionState.GREETED;
    }

    /** The state after the final dot, whatever the reply to the message: a new transaction may start. */
    static SessionState afterContent() {
        return SessionState.GREETED;
    }
}
