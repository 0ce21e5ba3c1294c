package dev.mta.relay;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.trace.HeaderValueScanner;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.model.MessageContent;
import dev.mta.relay.transport.local.Forwarder;
import io.netty.buffer.Unpooled;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Alias expansions queued in the MTA's own message store, as received mail is: the content streamed in chunks
 * (waiting while the store has enough in hand), committed to the disk before the expanded recipient is reported.
 */
final class StoreForwarder implements Forwarder {
    private static final int CHUNK = 64 * 1024;
    private static final long COMMIT_WAIT_SECONDS = 120;

    private final MessageStore store;
    private final String hostname;
    private final MailEvents events;

    StoreForwarder(MessageStore store, String hostname, MailEvents events) {
        this.store = store;
        this.hostname = hostname;
        this.events = events;
    }

    @Override
    public String forward(MailPath sender, MailParameters parameters, List<MailPath> recipients, byte[] prefix,
                          MessageContent content) throws Exception {
        Envelope envelope = Envelope.madeHere(sender, parameters, recipients, hostname);
        long start = System.nanoTime();
        IncomingMessage m = store.receive(envelope);
        HeaderValueScanner messageId = HeaderValueScanner.messageId(); // for the mail log, as a session's message
        try {
            messageId.scan(prefix, 0, prefix.length);
            m.write(Unpooled.wrappedBuffer(prefix));
            try (InputStream in = content.openStream()) {
                while (true) {
                    byte[] chunk = in.readNBytes(CHUNK);
                    if (chunk.length == 0) {
                        break;
                    }
                    messageId.scan(chunk, 0, chunk.length);
                    if (!m.write(Unpooled.wrappedBuffer(chunk))) {
                        CountDownLatch drained = new CountDownLatch(1);
                        m.whenDrained(drained::countDown);
                        if (!drained.await(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                            throw new TimeoutException("the queue took no more content for " + COMMIT_WAIT_SECONDS + " s");
                        }
                    }
                }
            }
            String id = m.commit().get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS);
            events.messageQueued(new MailEvent.MessageQueued(id, sender, recipients.size(),
                    prefix.length + content.length(), null, System.nanoTime() - start, messageId.value()));
            return id;
        } catch (Exception e) {
            m.abort();
            throw e;
        }
    }
}
