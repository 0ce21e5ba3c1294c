package dev.mta.queue.events;

/**
 * The one stream of what happens to mail: connections, messages queued, delivery attempts, bounces, removals.
 * The mail log, the metrics and the benchmark harness all listen to it, so they cannot tell different stories.
 * Events arrive on the thread where they happen (often an event loop): a listener records and returns, never blocks.
 */
public interface MailEvents {
    /** Hears nothing. */
    MailEvents NONE = new MailEvents() {
    };

    default void connectionOpened(MailEvent.ConnectionOpened e) {
    }

    default void connectionClosed(MailEvent.ConnectionClosed e) {
    }

    default void messageQueued(MailEvent.MessageQueued e) {
    }

    default void deliveryAttempted(MailEvent.DeliveryAttempted e) {
    }

    default void bounced(MailEvent.Bounced e) {
    }

    default void messageRemoved(MailEvent.MessageRemoved e) {
    }
}
