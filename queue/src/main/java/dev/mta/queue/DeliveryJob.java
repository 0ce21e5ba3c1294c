package dev.mta.queue;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Some recipients of one message for one route, handed to a relay worker: one transaction's worth. */
public final class DeliveryJob {
    final QueuedMessage message;
    final int[] indexes;
    private final Route route;
    private final boolean expired;
    private final MessageBody body;

    DeliveryJob(QueuedMessage message, int[] indexes, Route route, boolean expired, MessageBody body) {
        this.message = message;
        this.indexes = indexes;
        this.route = route;
        this.expired = expired;
        this.body = body;
    }

    public String id() {
        return message.idText();
    }

    /** The reverse-path; {@link MailPath#NULL} for the null sender. */
    public MailPath sender() {
        return message.sender;
    }

    /** The MAIL FROM parameters the message was received with. */
    public MailParameters parameters() {
        return message.parameters;
    }

    /** Where these recipients go: the transport and the next hop. */
    public Route route() {
        return route;
    }

    public List<MailPath> recipients() {
        List<MailPath> r = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            r.add(message.recipients[i]);
        }
        return Collections.unmodifiableList(r);
    }

    /** What the last attempt did for each recipient of the job, in order; null entries before any attempt. */
    public List<Outcome> lastOutcomes() {
        List<Outcome> r = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            r.add(message.outcome(i));
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
