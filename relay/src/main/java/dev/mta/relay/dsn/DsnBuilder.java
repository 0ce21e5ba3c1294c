package dev.mta.relay.dsn;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a delivery status notification (RFC 3464): a multipart/report with a human-readable part, a
 * message/delivery-status part with one block per failed recipient, and the original message's headers.
 */
public final class DsnBuilder {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final Pattern STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    private DsnBuilder() {
    }

    /**
     * The whole DSN message, CRLF line ends.
     *
     * @param reportingMta    this MTA's host name
     * @param originalSender  the reverse-path the DSN goes to
     * @param queueId         the failed message's queue id
     * @param arrival         when the failed message arrived
     * @param failed          the recipients that failed
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
                .append("Message-ID: <").append(queueId).append('.').append(now.toEpochSecond()).append(".dsn@")
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
            sb.append("<").append(f.address()).append(">: ").append(f.diagnostic()).append("\r\n");
        }
        sb.append("\r\n");

        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Description: Delivery report\r\n")
                .append("Content-Type: message/delivery-status\r\n\r\n")
                .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n")
                .append("X-Queue-ID: ").append(queueId).append("\r\n")
                .append("Arrival-Date: ").append(DATE.format(arrival)).append("\r\n");
        for (FailedRecipient f : failed) {
            sb.append("\r\n")
                    .append("Final-Recipient: rfc822; ").append(f.address()).append("\r\n")
                    .append("Action: failed\r\n")
                    .append("Status: ").append(status(f.diagnostic())).append("\r\n");
            if (f.remoteMta() != null) {
                sb.append("Remote-MTA: dns; ").append(f.remoteMta()).append("\r\n");
            }
            sb.append("Diagnostic-Code: smtp; ").append(oneLine(f.diagnostic())).append("\r\n");
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

    /** The enhanced status code found in a diagnostic, as a permanent one (5.x.x); 5.0.0 when there is none. */
    static String status(String diagnostic) {
        Matcher m = STATUS.matcher(diagnostic);
        return m.find() ? "5." + m.group(2) + "." + m.group(3) : "5.0.0";
    }

    private static String oneLine(String s) {
        return s.replace("\r", " ").replace("\n", " ");
    }
}
