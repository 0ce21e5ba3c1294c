package dev.mta.queue.admin;

import dev.mta.queue.log.MessageBody;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.QueueEntry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A {@link QueueAdmin} that hands every operation on to {@link #admin()}, for a type that also answers them itself. */
public interface ForwardingQueueAdmin extends QueueAdmin {
    /** The operator's operations, which this type hands its own calls on to. */
    QueueAdmin admin();

    @Override
    default List<QueueEntry> list() {
        return admin().list();
    }

    @Override
    default Optional<QueueEntry> find(String id) {
        return admin().find(id);
    }

    @Override
    default Optional<MessageDetails> show(String id) throws IOException {
        return admin().show(id);
    }

    @Override
    default Optional<Envelope> envelope(String id) throws IOException {
        return admin().envelope(id);
    }

    @Override
    default Optional<MessageBody> body(String id) {
        return admin().body(id);
    }

    @Override
    default int flush() {
        return admin().flush();
    }

    @Override
    default Optional<Integer> flush(String id) {
        return admin().flush(id);
    }

    @Override
    default CompletableFuture<Boolean> delete(String id) {
        return admin().delete(id);
    }

    @Override
    default CompletableFuture<Boolean> hold(String id) {
        return admin().hold(id);
    }

    @Override
    default CompletableFuture<Boolean> release(String id) {
        return admin().release(id);
    }
}
