package dev.mta.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Some recipients of one message for one destination, handed to a relay worker: one SMTP transaction's worth. */
public final class DeliveryJob {
    final QueuedMessage message;
    final int[] indexes;
    private final String destination;
    private final boolean expired;
    private final MessageBody body;

    DeliveryJob(QueuedMessage message, int[] indexes, String destination, boolean expired, MessageBody body) {
        this.message = message;
        this.indexes = indexes;
        this.destination = destination;
        this.expired = expired;
        this.body = body;
    }

    public String id() {
        return message.idText();
    }

    /** The reverse-path, "" for the null sender. */
    public String sender() {
        return message.sender;
    }

    /** The MAIL FROM parameters as received ("BODY=8BITMIME SMTPUTF8"). */
    public String mailParameters() {
        return message.mailParameters;
    }

    public String destination() {
        return destination;
    }

    public List<String> recipients() {
        List<String> r = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            r.add(message.recipients[i]);
        }
        return Collections.unmodifiableList(r);
    }

    /** True when the message has outlived the maximum lifetime: fail these recipients, do not try. */
    public boolean expired() {
        return expired;
    }

    public long arrivalMillis() {
        return message.arrival;
    }

    public MessageBody body() {
        return body;
    }
}
