package dev.mta.server.policy;

import dev.mta.protocol.reply.SmtpReply;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A policy's answer: accept, or a negative reply the session sends instead of going on; or, for a policy that must
 * ask someone first (DNS, the next hop), a pending verdict whose final answer comes later. Immutable; policies keep
 * theirs in constants so a decision allocates nothing.
 */
public final class Verdict {
    /** Go on: the next policy decides, or the session does what the command asks. */
    public static final Verdict ACCEPT = new Verdict(null, false);

    private final SmtpReply reply;
    private final boolean error;
    private final CompletionStage<Verdict> later;
    private final Supplier<Verdict> rest;

    private Verdict(SmtpReply reply, boolean error) {
        this(reply, error, null, null);
    }

    private Verdict(SmtpReply reply, boolean error, CompletionStage<Verdict> later, Supplier<Verdict> rest) {
        this.reply = reply;
        this.error = error;
        this.later = later;
        this.rest = rest;
    }

    /**
     * The answer is not known yet: the session stops reading (pipelined commands wait, in order) until
     * {@code later} completes, then goes on, on its event loop, as if the final verdict had been returned at once.
     * The final verdict must not itself be pending; a stage that fails is answered {@code 451 4.3.0}.
     */
    public static Verdict pending(CompletionStage<Verdict> later) {
        return new Verdict(null, false, Objects.requireNonNull(later, "later"), null);
    }

    /**
     * This pending verdict, with {@code rest} to ask once it settles as accepted (the policies after it in a chain).
     * The session asks it on its event loop, like any policy.
     */
    public Verdict then(Supplier<Verdict> rest) {
        if (later == null) {
            throw new IllegalStateException("only a pending verdict has a rest");
        }
        return new Verdict(null, false, later, rest);
    }

    /**
     * What this pending verdict comes to once {@link #later()} gave {@code settled}: a refusal as it is; an
     * acceptance hands on to the rest of the chain, which may be pending in turn. Event loop only.
     */
    public Verdict settle(Verdict settled) {
        if (settled.isPending()) {
            throw new IllegalStateException("a pending verdict settled as pending");
        }
        return settled.accepted() && rest != null ? rest.get() : settled;
    }

    /** Whether the answer comes later, from {@link #later()}. */
    public boolean isPending() {
        return later != null;
    }

    /** The final verdict of a pending one; null for a verdict given at once. */
    public CompletionStage<Verdict> later() {
        return later;
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

    /** Accepted now; false for a refusal and for a pending verdict. */
    public boolean accepted() {
        return reply == null && later == null;
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
        if (later != null) {
            return "pending";
        }
        return reply == null ? "accept" : (error ? "error " : "refuse ") + reply;
    }
}
