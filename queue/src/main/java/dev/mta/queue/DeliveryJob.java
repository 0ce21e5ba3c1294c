package dev.mta.queue;

import dev.mta.queue.log.MessageBody;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.index.QueueIndex;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Some recipients of one message for one route, handed to a relay worker: one transaction's worth. */
public final class DeliveryJob {
    final QueueIndex.Lease lease;
    private final MessageBody body;

    DeliveryJob(QueueIndex.Lease lease, MessageBody body) {
        this.lease = lease;
        this.body = body;
    }

    public String id() {
        return lease.message().idText();
    }

    /** The reverse-path; {@link MailPath#NULL} for the null sender. */
    public MailPath sender() {
        return lease.message().sender();
    }

    /** The MAIL FROM parameters the message was received with. */
    public MailParameters parameters() {
        return lease.message().parameters();
    }

    /** Where these recipients go: the transport and the next hop. */
    public Route route() {
        return lease.route();
    }

    public List<MailPath> recipients() {
        int[] indexes = lease.indexes();
        List<MailPath> r = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            r.add(lease.message().recipient(i));
        }
        return Collections.unmodifiableList(r);
    }

    /** What the last attempt did for each recipient of the job, in order; null entries before any attempt. */
    public List<Outcome> lastOutcomes() {
        int[] indexes = lease.indexes();
        List<Outcome> r = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            r.add(lease.message().outcome(i));
        }
        return Collections.unmodifiableList(r);
    }

    /** True when the message has outlived the maximum lifetime: fail these recipients, do not try. */
    public boolean expired() {
        return lease.expired();
    }

    public long arrivalMillis() {
        return lease.message().arrival();
    }

    /** When the message was committed to the queue (its arrival, for one recovered at start). */
    public long queuedMillis() {
        return lease.message().queued();
    }

    public MessageBody body() {
        return body;
    }
}
