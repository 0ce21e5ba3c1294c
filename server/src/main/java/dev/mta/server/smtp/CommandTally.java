package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.queue.events.CommandCounts;

/**
 * Counts a session's commands by verb, and those that succeeded, for the mail log's {@code disconnect} line (as
 * Postfix's {@code ehlo=1 mail=1 rcpt=0/1 commands=2/3}). A command succeeds when its final reply is 2xx: an
 * intermediate 3xx (DATA's 354, AUTH's 334) waits for the reply after it. Commands are answered one at a time
 * (reading pauses while one waits), so the next final reply is always the current command's. Event loop only.
 */
final class CommandTally {
    private static final int VERBS = SmtpVerb.values().length;

    private final int[] ok = new int[VERBS];
    private final int[] total = new int[VERBS];
    /** The command waiting for its final reply, or null. */
    private SmtpVerb pending;

    /** A command line arrived (a previous one that never got a final reply is left as not succeeded). */
    void received(SmtpVerb verb) {
        total[verb.ordinal()]++;
        pending = verb;
    }

    /** A reply with {@code code} was written: the final one settles the current command, if there is one. */
    void replied(int code) {
        if (pending == null || code / 100 == 3) {
            return; // the greeting, a reply nobody asked for (timeout, shutdown), or an intermediate one
        }
        if (code / 100 == 2) {
            ok[pending.ordinal()]++;
        }
        pending = null;
    }

    /** The counts so far, as a value for the event stream. */
    CommandCounts counts() {
        return CommandCounts.of(ok, total);
    }
}
