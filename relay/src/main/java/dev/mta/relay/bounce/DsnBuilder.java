package dev.mta.relay.bounce;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds a delivery status notification (RFC 3464): a multipart/report with a human-readable part, a
 * message/delivery-status part with one block per failed recipient, and what is returned of the original: the whole
 * message ({@code message/rfc822}) or its header section ({@code text/rfc822-headers}), as {@link Returned} says.
 * The same shape, headers only, is the double-bounce notice: a DSN of ours that could not be delivered, told to the
 * postmaster's address ({@link Notice#DOUBLE_BOUNCE}).
 */
public final class DsnBuilder {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    /** RFC 3463: the status when a message expired and nothing more specific is known. */
    private static final EnhancedStatus EXPIRED = EnhancedStatus.of(4, 4, 7);

    /** What the DSN is: a bounce to the sender, or the notice of a bounce of ours that failed. */
    public enum Notice {
        BOUNCE("Undelivered Mail Returned to Sender", BounceMarks.DSN),
        DOUBLE_BOUNCE("Undelivered Bounce (double bounce)", BounceMarks.DOUBLE_BOUNCE);

        final String subject;
        /** The Message-ID's last label before the '@' ({@link BounceMarks} tells our mail by it). */
        final String mark;

        Notice(String subject, String mark) {
            this.subject = subject;
            this.mark = mark;
        }
    }

    /**
     * What comes back of the original: its header section, or the whole message.
     *
     * @param headers the header section with its CRLFs (possibly cut short); used when {@code message} is null
     * @param message the whole message (CRLF lines of at most 1000 octets), or null for headers only
     */
    public record Returned(String headers, byte[] message) {
        public static Returned headersOnly(String headers) {
            return new Returned(headers, null);
        }

        public static Returned whole(byte[] message) {
            return new Returned(null, message);
        }

        public boolean isWhole() {
            return message != null;
        }

        /** Whether the returned octets go beyond 7-bit ASCII (the DSN then needs 8BITMIME). */
        public boolean isEightBit() {
            if (message == null) {
                return false;
            }
            for (byte b : message) {
                if (b < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private DsnBuilder() {
    }

    /** A bounce to {@code originalSender} returning the original's headers only, CRLF line ends. */
    public static byte[] build(String reportingMta, String originalSender, String queueId, ZonedDateTime arrival,
                               List<FailedRecipient> failed, String originalHeaders) {
        return build(Notice.BOUNCE, reportingMta, originalSender, queueId, arrival, failed,
                Returned.headersOnly(originalHeaders));
    }

    /**
     * The whole DSN message, CRLF line ends.
     *
     * @param notice       a bounce, or a double-bounce notice
     * @param reportingMta this MTA's host name
     * @param to           the address the DSN goes to (the original sender, or the double-bounce address)
     * @param queueId      the failed message's queue id
     * @param arrival      when the failed message arrived
     * @param failed       the recipients that failed, each with its outcome
     * @param returned     what comes back of the failed message
     */
    public static byte[] build(Notice notice, String reportingMta, String to, String queueId, ZonedDateTime arrival,
                               List<FailedRecipient> failed, Returned returned) {
        byte[] original = returned.isWhole() ? returned.message()
                : returned.headers().getBytes(StandardCharsets.UTF_8);
        String boundary = boundary(queueId, reportingMta, original);
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder sb = new StringBuilder(2048);
        sb.append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append(">\r\n")
                .append("To: <").append(to).append(">\r\n")
                .append("Subject: ").append(notice.subject).append("\r\n")
                .append("Date: ").append(DATE.format(now)).append("\r\n")
                // Unique even for two DSNs about one message in one second (rounds of different routes); its last
                // label marks our own bounces (BounceMarks).
                .append("Message-ID: <").append(queueId).append('.').append(now.toEpochSecond()).append('.')
                .append(Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)).append('.')
                .append(notice.mark).append('@').append(reportingMta).append(">\r\n")
                .append("Auto-Submitted: auto-replied\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n");
        if (returned.isEightBit()) {
            sb.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        sb.append("\r\n")
                .append("This is a MIME-encapsulated message.\r\n\r\n");

        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Description: Notification\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n\r\n")
                .append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n");
        if (notice == Notice.DOUBLE_BOUNCE) {
            sb.append("A delivery status notification from this host could not be delivered either.\r\n")
                    .append("It came from the null sender, so nothing else will be told of it.\r\n")
                    .append("Its headers are attached below.\r\n\r\n");
        } else {
            sb.append("Your message could not be delivered to one or more recipients.\r\n")
                    .append(returned.isWhole() ? "It is attached below.\r\n\r\n"
                            : "It is attached below (headers only).\r\n\r\n");
        }
        for (FailedRecipient f : failed) {
            sb.append(f.address()).append(": ").append(humanReason(f)).append("\r\n");
        }
        sb.append("\r\n");

        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Description: Delivery report\r\n")
                .append("Content-Type: message/delivery-status\r\n\r\n")
                .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n")
                .append("X-Queue-ID: ").append(queueId).append("\r\n")
                .append("Arrival-Date: ").append(DATE.format(arrival)).append("\r\n");
        for (FailedRecipient f : failed) {
            Outcome o = f.outcome();
            sb.append("\r\n")
                    .append("Final-Recipient: rfc822; ").append(f.address().address()).append("\r\n")
                    .append("Action: failed\r\n")
                    .append("Status: ").append(o == null ? EXPIRED : o.status()).append("\r\n");
            // The MTA that reported the status (RFC 3464 2.3.5): only one that replied did; a refused connection
            // or a timeout is our own finding.
            if (o != null && o.isReply() && o.remoteMta() != null) {
                sb.append("Remote-MTA: dns; ").append(o.remoteMta().dnsName()).append("\r\n");
            }
            sb.append("Diagnostic-Code: ").append(diagnostic(f)).append("\r\n");
        }
        sb.append("\r\n");

        sb.append("--").append(boundary).append("\r\n");
        if (returned.isWhole()) {
            sb.append("Content-Description: Undelivered Message\r\n")
                    .append("Content-Type: message/rfc822\r\n");
            if (returned.isEightBit()) {
                sb.append("Content-Transfer-Encoding: 8bit\r\n");
            }
        } else {
            sb.append("Content-Description: ").append(notice == Notice.DOUBLE_BOUNCE
                            ? "Undelivered Bounce Headers" : "Undelivered Message Headers").append("\r\n")
                    .append("Content-Type: text/rfc822-headers\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        boolean endsWithCrlf = original.length >= 2 && original[original.length - 2] == '\r'
                && original[original.length - 1] == '\n';
        byte[] tail = ((endsWithCrlf || original.length == 0 ? "" : "\r\n") + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + original.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(original, 0, out, head.length, original.length);
        System.arraycopy(tail, 0, out, head.length + original.length, tail.length);
        return out;
    }

    /**
     * A random boundary (RFC 2046 5.1.1: at most 70 characters), drawn again in the unlikely case that the returned
     * content holds it.
     */
    private static String boundary(String queueId, String reportingMta, byte[] content) {
        while (true) {
            String b = queueId + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "/" + reportingMta;
            if (b.length() > 70) {
                b = b.substring(0, 70);
            }
            if (indexOf(content, ("--" + b).getBytes(StandardCharsets.UTF_8)) < 0) {
                return b;
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** For the reader: what went wrong, with the next hop's words. */
    private static String humanReason(FailedRecipient f) {
        Outcome o = f.outcome();
        if (!f.expired()) {
            return o.detail();
        }
        boolean neverTried = o == null || (!o.isReply() && o.status().equals(EXPIRED));
        return neverTried ? "delivery time expired before any attempt could be made"
                : "delivery time expired; the last problem was: " + o.detail();
    }

    /**
     * RFC 3464 2.3.6: the next hop's reply verbatim as type smtp; a problem met here (DNS, connection, timeout) as
     * a type of our own, as Postfix writes X-Postfix.
     */
    private static String diagnostic(FailedRecipient f) {
        Outcome o = f.outcome();
        if (o == null) {
            return "X-mta; " + EXPIRED + " delivery time expired before any attempt could be made";
        }
        return (o.isReply() ? "smtp; " : "X-mta; ") + o.text();
    }
}
