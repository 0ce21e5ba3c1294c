package dev.mta.relay.transport.local;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.MessageContent;

import java.util.List;

/** Queues a message again for new recipients: an alias's targets, each then its own recipient in the queue. */
@FunctionalInterface
public interface Forwarder {
    /**
     * Queues {@code prefix} then {@code content} from {@code sender} to {@code recipients}, durably, before it returns
     * (so the recipient expanded may be reported delivered). Blocks; call from a worker thread.
     *
     * @return the new message's queue id
     * @throws Exception when it could not be queued: the expansion is tried again later
     */
    String forward(MailPath sender, MailParameters parameters, List<MailPath> recipients, byte[] prefix,
                   MessageContent content) throws Exception;
}
