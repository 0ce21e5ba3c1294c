package dev.mta.queue.model;

import dev.mta.protocol.reply.EnhancedStatus;

import java.util.List;

/**
 * What one delivery attempt did for one recipient: the kind, the RFC 3463 status, and where it came from. A reply
 * of the next hop keeps its code and text verbatim ({@code replyCode} > 0, the text as the peer wrote it, lines
 * joined by spaces); an outcome decided here (DNS failure, timeout, refusal before sending) has reply code 0 and a
 * text that begins with its status.
 *
 * @param kind      delivered, deferred (try again later) or failed (for good)
 * @param status    the enhanced status; its class agrees with the kind (2 delivered, 4 deferred) or is 4 or 5 for
 *                  a failure (a failure after expiry keeps the class of the last real problem, as Postfix does)
 * @param replyCode the next hop's reply code, or 0 when no reply decided this
 * @param remoteMta the next hop talked to, or null when none was reached
 * @param text      the reply verbatim, or the description of what happened here
 */
public record Outcome(Kind kind, EnhancedStatus status, int replyCode, RemoteMta remoteMta, String text) {
    /** The three results a recipient can have. */
    public enum Kind { DELIVERED, DEFERRED, FAILED }

    public Outcome {
        if (kind == null || status == null || text == null) {
            throw new IllegalArgumentException("an outcome has a kind, a status and a text");
        }
        text = printable(text);
    }

    /** Longest text kept: a DSN line holding it stays far below the 998 octets of RFC 5322. */
    public static final int MAX_TEXT = 800;

    /**
     * The text as it may go into a log line and a DSN's US-ASCII delivery-status part: line breaks and other
     * controls become spaces, anything outside printable ASCII becomes '?', and a text past {@link #MAX_TEXT} is cut
     * (a next hop's reply is not ours to trust: RFC 5321 caps a reply line at 512 octets, and not every peer keeps to it).
     */
    static String printable(String text) {
        int n = Math.min(text.length(), MAX_TEXT);
        StringBuilder sb = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            char safe = c < 0x20 || c == 0x7F ? ' ' : c > 0x7E ? '?' : c;
            if (safe != c && sb == null) {
                sb = new StringBuilder(n + 3).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(safe);
            }
        }
        String out = sb != null ? sb.toString() : text.substring(0, n);
        return text.length() > MAX_TEXT ? out + "..." : out;
    }

    /** What the next hop replied: the code decides the kind, and the class of the status the reply began with. */
    public static Outcome reply(int code, List<? extends CharSequence> lines, RemoteMta remoteMta) {
        StringBuilder text = new StringBuilder().append(code);
        for (CharSequence l : lines) {
            text.append(' ').append(l);
        }
        int statusClass = code / 100 == 2 || code / 100 == 5 ? code / 100 : 4;
        EnhancedStatus given = lines.isEmpty() ? null : EnhancedStatus.leading(lines.get(0));
        EnhancedStatus status = given == null ? EnhancedStatus.of(statusClass, 0, 0) : given.withClass(statusClass);
        Kind kind = statusClass == 2 ? Kind.DELIVERED : statusClass == 5 ? Kind.FAILED : Kind.DEFERRED;
        return new Outcome(kind, status, code, remoteMta, text.toString());
    }

    /** Decided here, with no reply behind it: {@code description} follows the status in the text. */
    public static Outcome local(Kind kind, EnhancedStatus status, String description, RemoteMta remoteMta) {
        return new Outcome(kind, status, 0, remoteMta, status + " " + description);
    }

    public static Outcome deferred(EnhancedStatus status, String description) {
        return local(Kind.DEFERRED, status, description, null);
    }

    public static Outcome failed(EnhancedStatus status, String description) {
        return local(Kind.FAILED, status, description, null);
    }

    /** Delivered with only a text to say (tests, local steps): status 2.0.0. */
    public static Outcome delivered(String text) {
        return new Outcome(Kind.DELIVERED, EnhancedStatus.of(2, 0, 0), 0, null, text);
    }

    /** Deferred with only a text to say: status 4.0.0. */
    public static Outcome deferred(String text) {
        return new Outcome(Kind.DEFERRED, EnhancedStatus.of(4, 0, 0), 0, null, text);
    }

    /** Failed with only a text to say: status 5.0.0. */
    public static Outcome failed(String text) {
        return new Outcome(Kind.FAILED, EnhancedStatus.of(5, 0, 0), 0, null, text);
    }

    /** Whether the next hop's reply decided this. */
    public boolean isReply() {
        return replyCode > 0;
    }

    /** The same outcome with another kind (a failure not bounced is deferred; an expired deferral fails). */
    public Outcome as(Kind newKind) {
        return newKind == kind ? this : new Outcome(newKind, status, replyCode, remoteMta, text);
    }

    /** One line for the mail log and the queue listing: {@code host[ip]:port said: 550 5.1.1 ...}, or the text. */
    public String detail() {
        return isReply() && remoteMta != null ? remoteMta + " said: " + text : text;
    }
}
