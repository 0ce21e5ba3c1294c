package dev.mta.queue.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Hands every event to each listener in turn; a listener that throws is logged and does not stop the others. */
public final class MailEventBus implements MailEvents {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MailEventBus.class);

    private final List<MailEvents> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener; it hears the events that happen from now on. */
    public MailEventBus subscribe(MailEvents listener) {
        listeners.add(listener);
        return this;
    }

    private void each(Consumer<MailEvents> call) {
        for (MailEvents l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("a mail event listener failed", e);
            }
        }
    }

    @Override
    public void connectionOpened(MailEvent.ConnectionOpened e) {
        each(l -> l.connectionOpened(e));
    }

    @Override
    public void connectionClosed(MailEvent.ConnectionClosed e) {
        each(l -> l.connectionClosed(e));
    }

    @Override
    public void messageQueued(MailEvent.MessageQueued e) {
        each(l -> l.messageQueued(e));
    }

    @Override
    public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
        each(l -> l.deliveryAttempted(e));
    }

    @Override
    public void bounced(MailEvent.Bounced e) {
        each(l -> l.bounced(e));
    }

    @Override
    public void messageRemoved(MailEvent.MessageRemoved e) {
        each(l -> l.messageRemoved(e));
    }
}
