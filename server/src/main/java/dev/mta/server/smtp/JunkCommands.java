package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;

/**
 * Commands that move no mail forward, counted as Postfix's smtpd_junk_command_limit does: NOOP, RSET, VRFY, EXPN,
 * HELP, and every HELO/EHLO after the first. Past the limit each one also counts as an error, so a client cannot
 * keep a session (and its slot) busy with them for ever. A message queued forgives them, as in Postfix: a client
 * that reuses its connection sends an RSET before every message. Event loop only.
 */
final class JunkCommands {
    private final int limit;
    private int count;
    private boolean greeted;

    JunkCommands(int limit) {
        this.limit = limit;
    }

    /** Counts an accepted command; true when it is junk past the limit, and so also an error. */
    boolean pastLimit(SmtpVerb verb) {
        if (!isJunk(verb)) {
            return false;
        }
        if (count < limit) {
            count++;
            return false;
        }
        return true;
    }

    /** A message was queued: the count starts again. */
    void forgive() {
        count = 0;
    }

    private boolean isJunk(SmtpVerb verb) {
        switch (verb) {
            case HELO:
            case EHLO:
                boolean again = greeted;
                greeted = true;
                return again;
            case NOOP:
            case RSET:
            case VRFY:
            case EXPN:
            case HELP:
                return true;
            default:
                return false;
        }
    }
}
