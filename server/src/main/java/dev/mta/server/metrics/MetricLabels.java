package dev.mta.server.metrics;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.queue.model.Outcome;

import java.util.Locale;

/**
 * Every label value the metrics use, from fixed lists: an SMTP verb this server does not name becomes {@code other},
 * a reply code its class, a transport outside the known ones {@code other}. Nothing from a client or an address
 * (domains, hosts, users) ever becomes a label, so the number of series stays small and bounded.
 */
public final class MetricLabels {
    /** Verbs that keep their own label; the rest (obsolete, unoffered, unknown) are {@code other}. */
    private static final java.util.Set<SmtpVerb> NAMED = java.util.EnumSet.of(SmtpVerb.HELO, SmtpVerb.EHLO,
            SmtpVerb.MAIL, SmtpVerb.RCPT, SmtpVerb.DATA, SmtpVerb.RSET, SmtpVerb.NOOP, SmtpVerb.QUIT, SmtpVerb.VRFY,
            SmtpVerb.EXPN, SmtpVerb.HELP, SmtpVerb.STARTTLS, SmtpVerb.AUTH, SmtpVerb.BDAT);

    /** The reply classes, in the order {@link #replyClassIndex(int)} numbers them. */
    public static final String[] REPLY_CLASSES = {"2xx", "3xx", "4xx", "5xx"};

    /** The transports with a label of their own. */
    public static final String[] TRANSPORTS = {"smtp", "discard", "local", "other"};

    /** The results of a delivery attempt, in the order {@link #resultIndex} numbers them. */
    public static final String[] RESULTS = {"delivered", "deferred", "bounced"};

    private MetricLabels() {
    }

    /** The label of a verb: its name in lower case, or {@code other}. */
    public static String verb(SmtpVerb verb) {
        return verb != null && NAMED.contains(verb) ? name(verb) : "other";
    }

    /** A reply code's class: 0 for 2xx, 1 for 3xx, 2 for 4xx, 3 for 5xx (anything out of range: 5xx). */
    public static int replyClassIndex(int code) {
        int c = code / 100;
        return c >= 2 && c <= 5 ? c - 2 : 3;
    }

    /** A reply code's class label, "2xx" to "5xx". */
    public static String replyClass(int code) {
        return REPLY_CLASSES[replyClassIndex(code)];
    }

    /** An attempt's result: delivered, deferred, or bounced (failed for good, or expired). */
    public static int resultIndex(Outcome.Kind kind, boolean expired) {
        if (expired || kind == Outcome.Kind.FAILED) {
            return 2;
        }
        return kind == Outcome.Kind.DELIVERED ? 0 : 1;
    }

    /** A route's transport ({@code smtp}, {@code discard}, {@code local}), or {@code other}. */
    public static int transportIndex(String transport) {
        for (int i = 0; i < TRANSPORTS.length - 1; i++) {
            if (TRANSPORTS[i].equals(transport)) {
                return i;
            }
        }
        return TRANSPORTS.length - 1;
    }

    /** An enum constant as a label: lower case ({@code REFUSED_LIMIT} is {@code refused_limit}). */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
