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
 * message/delivery-status part with one block per failed recipient, and the original message's headers.
 */
public final class DsnBuilder {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    /** RFC 3463: the status when a message expired and nothing more specific is known. */
    private static final EnhancedStatus EXPIRED = EnhancedStatus.of(4, 4, 7);

    private DsnBuilder() {
    }

    /**
     * The whole DSN message, CRLF line ends.
     *
     * @param reportingMta    this MTA's host name
     * @param originalSender  the reverse-path the DSN goes to
     * @param queueId         the failed message's queue id
     * @param arrival         when the failed message arrived
     * @param failed          the recipients that failed, each with its outcome
     * @param originalHeaders the failed message's header section (CRLF line ends), possibly cut short
     */
    public static byte[] build(String reportingMta, String originalSender, String queueId, ZonedDateTime arrival,
                               List<FailedRecipient> failed, String originalHeaders) {
        String boundary = queueId + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "/" + reportingMta;
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder sb = new StringBuilder(2048 + originalHeaders.length());
        sb.append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append(">\r\n")
                .append("To: <").append(originalSender).append(">\r\n")
                .append("Subject: Undelivered Mail Returned to Sender\r\n")
                .append("Date: ").append(DATE.format(now)).append("\r\n")
                // Unique even for two DSNs about one message in one second (rounds of different routes).
                .append("Message-ID: <").append(queueId).append('.').append(now.toEpochSecond()).append('.')
                .append(Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)).append(".dsn@")
                .append(reportingMta).append(">\r\n")
                .append("Auto-Submitted: auto-replied\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n")
                .append("\r\n")
                .append("This is a MIME-encapsulated message.\r\n\r\n");

        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Description: Notification\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n\r\n")
                .append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n")
                .append("Your message could not be delivered to one or more recipients.\r\n")
                .append("It is attached below (headers only).\r\n\r\n");
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

        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Description: Undelivered Message Headers\r\n")
                .append("Content-Type: text/rfc822-headers\r\n\r\n")
                .append(originalHeaders);
        if (!originalHeaders.endsWith("\r\n")) {
            sb.append("\r\n");
        }
        sb.append("\r\n--").append(boundary).append("--\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
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
