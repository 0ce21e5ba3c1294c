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

    /**
     * A client's connection ended, after {@code messages} messages were queued on it; {@code commands} counts its
     * commands by verb, and those that succeeded.
     */
    public record ConnectionClosed(InetAddress client, long durationMillis, int messages, CommandCounts commands) {
        public ConnectionClosed {
            commands = commands == null ? CommandCounts.NONE : commands;
        }

        /** Without command counts (none known). */
        public ConnectionClosed(InetAddress client, long durationMillis, int messages) {
            this(client, durationMillis, messages, CommandCounts.NONE);
        }
    }

    /**
     * A message is on stable storage (a client's, whose 250 is on its way, or a bounce made here: {@code client}
     * null); {@code commitNanos} from the end of its content to the fsync; {@code messageId} its Message-ID
     * header's value as read while it was received (printable and bounded), or null when it has none.
     */
    public record MessageQueued(String id, MailPath sender, int recipients, long size, InetAddress client,
                                long commitNanos, String messageId) {
        /** Without a Message-ID (none known). */
        public MessageQueued(String id, MailPath sender, int recipients, long size, InetAddress client,
                             long commitNanos) {
            this(id, sender, recipients, size, client, commitNanos, null);
        }
    }

    /**
     * One recipient's result of one delivery attempt over {@code route}; {@code expired} when the message outlived
     * its lifetime and the recipient failed without a try (its outcome then is the last real problem it met).
     * {@code delayMillis} is the time from the message's arrival to the end of this attempt, and {@code delays}
     * splits it as Postfix's {@code delays=a/b/c/d} does. The next hop (name, address, port), its reply and the
     * enhanced status are the outcome's.
     */
    public record DeliveryAttempted(String id, MailPath recipient, Route route, Outcome outcome, long delayMillis,
                                    boolean expired, Delays delays) {
        public DeliveryAttempted {
            delays = delays == null ? Delays.inQueue(delayMillis) : delays;
        }

        /** Without the split of the delay: all of it counted as time in the queue. */
        public DeliveryAttempted(String id, MailPath recipient, Route route, Outcome outcome, long delayMillis,
                                 boolean expired) {
            this(id, recipient, route, outcome, delayMillis, expired, null);
        }
    }

    /**
     * Where a delivery attempt's delay went, in milliseconds, as Postfix's {@code delays=a/b/c/d}.
     *
     * @param receiptMillis    a: receiving the message, from its arrival (the DATA command) to its commit on disk;
     *                         0 when unknown (a message recovered after a restart)
     * @param queueMillis      b: in the queue, from the commit to the start of this attempt (waiting to be due,
     *                         for a free connection, and the read of its headers)
     * @param connectMillis    c: setting up the connection: DNS, connect, greeting, EHLO, STARTTLS, AUTH (RSET on a
     *                         kept connection); all of the attempt when no connection was made
     * @param transmitMillis   d: the transaction, from MAIL to the reply to the final dot
     */
    public record Delays(long receiptMillis, long queueMillis, long connectMillis, long transmitMillis) {
        /** All of {@code delayMillis} in the queue: an attempt with no connection, or nothing measured. */
        public static Delays inQueue(long delayMillis) {
            return new Delays(0, Math.max(0, delayMillis), 0, 0);
        }
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
