package dev.mta.queue;

import java.util.List;

/**
 * What SMTP said about a message besides its content.
 *
 * @param reversePath    the MAIL FROM address, "" for the null reverse-path
 * @param mailParameters the MAIL FROM ESMTP parameters as sent ("SIZE=10 BODY=8BITMIME"), "" for none
 * @param recipients     the accepted RCPT TO addresses, in order
 * @param clientAddress  the client's IP address as text
 * @param heloName       the name given in HELO/EHLO
 * @param protocol       the Received "with" keyword (SMTP, ESMTP, UTF8SMTP ...)
 */
public record Envelope(String reversePath, String mailParameters, List<String> recipients,
                       String clientAddress, String heloName, String protocol) {
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope has at least one recipient");
        }
        for (String field : new String[]{reversePath, mailParameters, clientAddress, heloName, protocol}) {
            requireSingleLine(field);
        }
        recipients.forEach(Envelope::requireSingleLine);
    }

    private static void requireSingleLine(String s) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("envelope fields are single lines");
        }
    }
}
