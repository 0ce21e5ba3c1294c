package dev.mta.queue.model;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;

import java.util.List;

/**
 * What SMTP said about a message besides its content, as typed values: parsed once, at the server.
 *
 * @param sender        the MAIL FROM path, {@link MailPath#NULL} for the null reverse-path
 * @param parameters    the meaning of the MAIL FROM parameters
 * @param recipients    the accepted RCPT TO paths, in order
 * @param clientAddress the client's IP address as text (trace information for the Received header)
 * @param heloName      the name given in HELO/EHLO
 * @param protocol      the Received "with" keyword (SMTP, ESMTP, UTF8SMTP ...)
 */
public record Envelope(MailPath sender, MailParameters parameters, List<MailPath> recipients,
                       String clientAddress, String heloName, String protocol) {
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope has at least one recipient");
        }
        for (String field : new String[]{sender.localPart(), sender.domain(), clientAddress, heloName, protocol}) {
            requireSingleLine(field);
        }
        for (MailPath r : recipients) {
            requireSingleLine(r.localPart());
            requireSingleLine(r.domain());
        }
    }

    /** The envelope of a message this MTA makes itself (a DSN, an alias's expansion): its own client, no session. */
    public static Envelope madeHere(MailPath sender, MailParameters parameters, List<MailPath> recipients,
                                    String hostname) {
        return new Envelope(sender, parameters, recipients, "127.0.0.1", hostname, "local");
    }

    private static void requireSingleLine(String s) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("envelope fields are single lines");
        }
    }
}
