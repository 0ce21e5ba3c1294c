package dev.mta.queue.events;

import dev.mta.protocol.command.SmtpVerb;

/**
 * How many commands of each verb one SMTP session received, and how many of them succeeded (ended with a 2xx
 * reply), as Postfix counts them for its {@code disconnect} line. Immutable.
 */
public final class CommandCounts {
    private static final int VERBS = SmtpVerb.values().length;

    /** A session that received no command. */
    public static final CommandCounts NONE = new CommandCounts(new int[VERBS], new int[VERBS]);

    private final int[] ok;
    private final int[] total;

    private CommandCounts(int[] ok, int[] total) {
        this.ok = ok;
        this.total = total;
    }

    /** The counts of {@code ok} and {@code total}, indexed by {@link SmtpVerb#ordinal()}; both are copied. */
    public static CommandCounts of(int[] ok, int[] total) {
        if (ok.length != VERBS || total.length != VERBS) {
            throw new IllegalArgumentException("one count per SMTP verb");
        }
        return new CommandCounts(ok.clone(), total.clone());
    }

    /** Commands of {@code verb} that succeeded. */
    public int ok(SmtpVerb verb) {
        return ok[verb.ordinal()];
    }

    /** Commands of {@code verb} received. */
    public int total(SmtpVerb verb) {
        return total[verb.ordinal()];
    }

    /** Commands that succeeded, all verbs together. */
    public int ok() {
        int n = 0;
        for (int c : ok) {
            n += c;
        }
        return n;
    }

    /** Commands received, all verbs together. */
    public int total() {
        int n = 0;
        for (int c : total) {
            n += c;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (SmtpVerb v : SmtpVerb.values()) {
            if (total[v.ordinal()] > 0) {
                sb.append(v).append('=').append(ok[v.ordinal()]).append('/').append(total[v.ordinal()]).append(' ');
            }
        }
        return sb.append("commands=").append(ok()).append('/').append(total()).toString();
    }
}
