package dev.mta.queue.events;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;

import java.net.InetAddress;

/** The events of {@link MailEvents}, as plain data. */
public final class MailEvent {
    private MailEvent() {
    }

    /** A client connected (and was not refused by the connection limit). */
    public record ConnectionOpened(InetAddress client) {
    }

    /** A client's connection ended, after {@code messages} messages were queued on it. */
    public record ConnectionClosed(InetAddress client, long durationMillis, int messages) {
    }

    /**
     * A message is on stable storage (a client's, whose 250 is on its way, or a bounce made here: {@code client}
     * null); {@code commitNanos} from the end of its content to the fsync.
     */
    public record MessageQueued(String id, MailPath sender, int recipients, long size, InetAddress client,
                                long commitNanos) {
    }

    /**
     * One recipient's result of one delivery attempt over {@code route}; {@code expired} when the message outlived
     * its lifetime and the recipient failed without a try (its outcome then is the last real problem it met).
     */
    public record DeliveryAttempted(String id, MailPath recipient, Route route, Outcome outcome, long delayMillis,
                                    boolean expired) {
    }

    /** A DSN about {@code recipients} failed recipients of {@code id} was queued as {@code bounceId}. */
    public record Bounced(String id, String bounceId, int recipients) {
    }

    /** A message left the queue: every recipient done, or deleted by the operator. */
    public record MessageRemoved(String id, Reason reason) {
        /** Why it left. */
        public enum Reason { DONE, DELETED }
    }
}
