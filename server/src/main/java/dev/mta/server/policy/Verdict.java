package dev.mta.server.policy;

import dev.mta.protocol.reply.SmtpReply;

/**
 * A policy's answer: accept, or a negative reply the session sends instead of going on. Immutable; policies keep
 * theirs in constants so a decision allocates nothing.
 */
public final class Verdict {
    /** Go on: the next policy decides, or the session does what the command asks. */
    public static final Verdict ACCEPT = new Verdict(null, false);

    private final SmtpReply reply;
    private final boolean error;

    private Verdict(SmtpReply reply, boolean error) {
        this.reply = reply;
        this.error = error;
    }

    /**
     * Refuses with {@code reply}; the command was well formed, so the client's error count is left alone. A 421
     * ends the session after the reply (RFC 5321 3.8).
     */
    public static Verdict refuse(SmtpReply reply) {
        return new Verdict(negative(reply), false);
    }

    /**
     * Refuses with {@code reply} and counts it as the client's error, as a bad command is (toward max-errors): for
     * protocol misuse, not for what the server merely does not want.
     */
    public static Verdict error(SmtpReply reply) {
        return new Verdict(negative(reply), true);
    }

    private static SmtpReply negative(SmtpReply reply) {
        if (reply.isPositive()) {
            throw new IllegalArgumentException("a refusal needs a 4xx or 5xx reply: " + reply);
        }
        return reply;
    }

    public boolean accepted() {
        return reply == null;
    }

    /** The reply to send instead; null when accepted. */
    public SmtpReply reply() {
        return reply;
    }

    /** Whether the refusal counts toward the client's error limit. */
    public boolean countsAsError() {
        return error;
    }

    /** Whether the session ends after the reply. */
    public boolean closes() {
        return reply != null && reply.code() == 421;
    }

    @Override
    public String toString() {
        return reply == null ? "accept" : (error ? "error " : "refuse ") + reply;
    }
}
