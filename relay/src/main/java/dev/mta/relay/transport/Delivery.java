package dev.mta.relay.transport;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.MessageContent;
import dev.mta.queue.model.Route;

import java.util.List;

/**
 * What a transport is asked to deliver: the recipients of one message that share one route, as plain values (no
 * queue types), so a transport and its tests need no queue.
 *
 * @param messageId  the queue id, for logs
 * @param sender     the reverse-path; {@link MailPath#NULL} for the null sender
 * @param parameters the MAIL FROM parameters the message was received with
 * @param route      the transport and next hop these recipients share
 * @param recipients the recipients, in order; outcomes come back in the same order
 * @param content    the message as stored, read from a thread that may block
 */
public record Delivery(String messageId, MailPath sender, MailParameters parameters, Route route,
                       List<MailPath> recipients, MessageContent content) {
    public Delivery {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a delivery has at least one recipient");
        }
    }

    /** The same delivery with its content taken from elsewhere (read ahead into memory). */
    public Delivery withContent(MessageContent c) {
        return c == content ? this : new Delivery(messageId, sender, parameters, route, recipients, c);
    }
}
