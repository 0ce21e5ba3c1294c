package dev.mta.server.control;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.QueueEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A queued message as the queue tool shows it, from a running server (over the control channel) or from a stopped
 * server's spool alike: what {@code list} prints, and with {@link Details} what {@code show} prints.
 *
 * @param id         the queue id
 * @param arrival    when the message was queued
 * @param size       the stored message's size in bytes (our Received: header included)
 * @param sender     the MAIL FROM address, empty for the null sender
 * @param held       whether the operator holds it
 * @param recipients the recipients still to be delivered, each with its last attempt's problem
 * @param details    the envelope as received, for {@code show}; null in a listing
 */
public record MessageView(String id, Instant arrival, long size, String sender, boolean held,
                          List<Recipient> recipients, Details details) {
    public MessageView {
        recipients = List.copyOf(recipients);
    }

    /**
     * A recipient still to be delivered.
     *
     * @param address     the RCPT TO address
     * @param attempts    delivery attempts so far
     * @param nextAttempt when the next attempt is due after a deferral; null before the first attempt
     * @param lastError   what the last attempt said (the next hop's reply, or the problem met here); null before any
     */
    public record Recipient(String address, int attempts, Instant nextAttempt, String lastError) {
        /** The address's domain in lower case: the destination the summary counts by. */
        public String domain() {
            int at = address.lastIndexOf('@');
            return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The envelope as received.
     *
     * @param parameters the MAIL FROM parameters ("BODY=8BITMIME SMTPUTF8"), empty when none
     * @param client     the client's address
     * @param helo       the name the client gave in HELO/EHLO
     * @param protocol   the Received header's "with" (ESMTP, ESMTPS ...)
     * @param recipients every recipient as received, delivered ones too
     */
    public record Details(String parameters, String client, String helo, String protocol, List<String> recipients) {
        public Details {
            recipients = List.copyOf(recipients);
        }
    }

    /** The listing view of a queued message. */
    public static MessageView of(QueueEntry e) {
        List<Recipient> rs = new ArrayList<>(e.recipients().size());
        for (QueueEntry.Recipient r : e.recipients()) {
            rs.add(new Recipient(r.address(), r.attempts(),
                    r.attempts() == 0 ? null : Instant.ofEpochMilli(r.nextAttemptMillis()), r.lastError()));
        }
        return new MessageView(e.id(), Instant.ofEpochMilli(e.arrivalMillis()), e.bodyLength(), e.sender().address(),
                e.held(), rs, null);
    }

    /** The full view of a queued message: its listing and the envelope as received. */
    public static MessageView of(QueueAdmin.MessageDetails d) {
        Envelope env = d.envelope();
        List<String> all = new ArrayList<>(env.recipients().size());
        for (MailPath p : env.recipients()) {
            all.add(p.address());
        }
        MessageView listed = of(d.entry());
        return new MessageView(listed.id(), listed.arrival(), listed.size(), listed.sender(), listed.held(),
                listed.recipients(), new Details(env.parameters().toString(), env.clientAddress(), env.heloName(),
                        env.protocol(), all));
    }
}
