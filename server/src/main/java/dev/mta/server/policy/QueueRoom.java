package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.Replies;
import dev.mta.queue.MessageStore;

/** MAIL while the queue is full gets 452 4.3.1 (RFC 5321 4.2.3): said now, before the client sends the content. */
public final class QueueRoom implements SessionPolicy {
    private static final Verdict FULL = Verdict.refuse(Replies.STORAGE_FULL);

    private final MessageStore store;

    public QueueRoom(MessageStore store) {
        this.store = store;
    }

    @Override
    public Verdict onMail(SessionFacts session, MailPath sender, MailParameters parameters) {
        return store.hasRoom() ? Verdict.ACCEPT : FULL;
    }
}
