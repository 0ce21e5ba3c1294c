package dev.mta.relay.bounce;

import java.util.Locale;

/**
 * Tells our own bounces from other mail by their header section, since the queue keeps no mark of who made a
 * message: a DSN of ours has the null sender, {@code Auto-Submitted: auto-replied}, a {@code multipart/report;
 * report-type=delivery-status} content type and a Message-ID {@code <….dsn@our-hostname>} ({@link DsnBuilder}
 * writes them); a double-bounce notice has {@code ….double-bounce@our-hostname} instead. Other null-sender mail (a
 * client's, another MTA's DSN relayed through us) is none of these, and gets no DSN and no notice at all: mail a
 * client hands us always opens with the {@code Received:} line our session adds, which our own bounces never have,
 * so forged marks in a client's message do not make it ours.
 */
public final class BounceMarks {
    /** The Message-ID's last label of a bounce of ours. */
    static final String DSN = "dsn";
    /** The Message-ID's last label of a double-bounce notice of ours. */
    static final String DOUBLE_BOUNCE = "double-bounce";

    /** What a null-sender message is. */
    public enum Kind {
        /** Not made here: no DSN, no notice. */
        FOREIGN,
        /** A DSN of ours: when it fails, the double-bounce address is told once. */
        OUR_DSN,
        /** A double-bounce notice of ours: when it fails, nothing follows (a double bounce never bounces). */
        OUR_DOUBLE_BOUNCE
    }

    private BounceMarks() {
    }

    /** What the message with {@code headers} (its header section, CRLF lines) is, made by {@code hostname}? */
    public static Kind of(String headers, String hostname) {
        // Every message a client hands us starts with the Received: line our session puts in front of it; only mail
        // made here (our bounces) lacks it. So a client cannot pass its mail off as ours with forged marks below.
        if (headers.regionMatches(true, 0, "Received:", 0, "Received:".length())) {
            return Kind.FOREIGN;
        }
        String messageId = field(headers, "message-id");
        String autoSubmitted = field(headers, "auto-submitted");
        String contentType = field(headers, "content-type");
        if (messageId == null || autoSubmitted == null || contentType == null
                || !autoSubmitted.strip().toLowerCase(Locale.ROOT).equals("auto-replied")) {
            return Kind.FOREIGN;
        }
        String type = contentType.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        if (!type.startsWith("multipart/report;") || !type.contains("report-type=delivery-status")) {
            return Kind.FOREIGN;
        }
        String id = messageId.strip().toLowerCase(Locale.ROOT);
        String host = hostname.toLowerCase(Locale.ROOT);
        if (id.endsWith("." + DSN + "@" + host + ">")) {
            return Kind.OUR_DSN;
        }
        if (id.endsWith("." + DOUBLE_BOUNCE + "@" + host + ">")) {
            return Kind.OUR_DOUBLE_BOUNCE;
        }
        return Kind.FOREIGN;
    }

    /** The first field named {@code name} (lower case), unfolded; null when absent. */
    static String field(String headers, String name) {
        String[] lines = headers.split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                    || !line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                continue;
            }
            StringBuilder value = new StringBuilder(line.substring(colon + 1));
            while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                    && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                value.append(' ').append(lines[++i].strip());
            }
            return value.toString().strip();
        }
        return null;
    }
}
