package dev.mta.server.smtp;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import java.net.InetAddress;

import dev.mta.protocol.codec.EndOfData;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.protocol.trace.HeaderValueScanner;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.model.StorageFullException;
import dev.mta.server.policy.ContentCheck;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One message from the 354 to its reply: content streamed to the store as it arrives (reading paused while the
 * disk falls behind), the size limit (past it the rest is read and dropped, so the session can go on after the
 * 552), the smuggling check at the final dot, and the commit whose fsync the 250 waits for. Event loop only.
 */
final class DataPhase {
    // The session's logger: a message's fate is logged where operators look for the rest of its session.
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final IncomingMessage message;
    private final Transaction tx;
    private final String client;
    private final InetAddress clientAddress;
    private final MailEvents events;
    private final long maxSize;
    private final InputPause pause;
    private final Executor loop;
    /** The policies' check of the content: it may hold back header fields, and has the last word at the end. */
    private final ContentCheck check;
    private long size;
    private boolean oversize;
    /** The content check refused the message at its end. */
    private boolean refusedByCheck;
    /** The Message-ID, read from the headers as they pass (for the mail log); bounded, never copies content. */
    private final HeaderValueScanner messageId = HeaderValueScanner.messageId();

    DataPhase(IncomingMessage message, Transaction tx, InetAddress clientAddress, String client, long maxSize,
              InputPause pause, Executor loop, MailEvents events) {
        this(message, tx, clientAddress, client, maxSize, pause, loop, events, ContentCheck.NONE);
    }

    DataPhase(IncomingMessage message, Transaction tx, InetAddress clientAddress, String client, long maxSize,
              InputPause pause, Executor loop, MailEvents events, ContentCheck check) {
        this.check = check;
        this.message = message;
        this.tx = tx;
        this.clientAddress = clientAddress;
        this.client = client;
        this.events = events;
        this.maxSize = maxSize;
        this.pause = pause;
        this.loop = loop;
    }

    String id() {
        return message.id();
    }

    /** Content bytes received from the client so far. */
    long size() {
        return size;
    }

    /** Our own lines ahead of the content (the Received header): not the client's, so not counted. */
    void writeHeader(ByteBuf header) {
        write(header);
    }

    /** Client content, dot-unstuffed; takes ownership of {@code data}. */
    void content(ByteBuf data) {
        if (oversize) {
            data.release();
            return;
        }
        size += data.readableBytes();
        if (size > maxSize) {
            oversize = true;
            data.release();
            message.abort();
            check.abort();
            return;
        }
        if (!messageId.done()) {
            messageId.scan(data);
        }
        ByteBuf stored = check.content(data);
        if (stored != null) {
            write(stored);
        }
    }

    private void write(ByteBuf data) {
        if (!message.write(data) && !pause.isPaused(InputPause.Reason.DISK)) {
            pause.pause(InputPause.Reason.DISK);
            message.whenDrained(() -> loop.execute(() -> pause.resume(InputPause.Reason.DISK)));
        }
    }

    /**
     * The final dot: the reply to the message, complete at once when it is refused, else (on the event loop) once
     * the commit is durable or has failed.
     */
    CompletableFuture<SmtpReply> end(EndOfData end) {
        if (oversize) {
            return CompletableFuture.completedFuture(Replies.MESSAGE_TOO_BIG);
        }
        if (end.hasBareLineEnding()) {
            message.abort();
            check.abort();
            log.info("{}: rejected from {}: bare CR or LF in content", message.id(), client);
            return CompletableFuture.completedFuture(Replies.BARE_LINE_ENDING_IN_DATA);
        }
        ByteBuf rest = check.endOfContent();
        if (rest != null) {
            write(rest);
        }
        CompletableFuture<SmtpReply> reply = new CompletableFuture<>();
        long start = System.nanoTime();
        if (check == ContentCheck.NONE) { // nothing to wait for: straight to the commit, no extra task on the loop
            commit(null, reply, start);
            return reply;
        }
        // Input stays paused (the receiver's COMMIT reason) while the check finishes, then through the fsync.
        check.outcome().whenComplete((outcome, failure) -> {
            try {
                loop.execute(() -> decided(outcome, failure, reply, start));
            } catch (RuntimeException rejected) { // the loop is shutting down: nothing was acknowledged
                release(outcome == null ? null : outcome.headerPrefix());
                message.abort();
                reply.complete(Replies.LOCAL_ERROR);
            }
        });
        return reply;
    }

    /** The check's verdict, on the session's loop: commit with its header fields, or refuse. */
    private void decided(ContentCheck.Outcome outcome, Throwable failure, CompletableFuture<SmtpReply> reply, long start) {
        try {
            if (failure != null || outcome == null) { // a check never fails; if one did, the message goes on as is
                log.warn("{}: content check failed: {}", message.id(), String.valueOf(failure));
                commit(null, reply, start);
            } else if (!outcome.accepted()) {
                release(outcome.headerPrefix());
                message.abort();
                log.info("{}: rejected from {}: {}", message.id(), client, outcome.refusal());
                refusedByCheck = true;
                reply.complete(outcome.refusal());
            } else {
                commit(outcome.headerPrefix(), reply, start);
            }
        } catch (RuntimeException e) { // never leave the session paused with no reply: nothing was acknowledged yet
            log.warn("{}: after the content check: {}", message.id(), e.toString());
            message.abort();
            reply.complete(Replies.LOCAL_ERROR);
        }
    }

    /** Whether the reply to the final dot is a content check's refusal (for the rejection's reason). */
    boolean refusedByCheck() {
        return refusedByCheck;
    }

    private void commit(ByteBuf headerPrefix, CompletableFuture<SmtpReply> reply, long start) {
        CompletableFuture<String> committed;
        try {
            committed = headerPrefix == null ? message.commit() : message.commit(headerPrefix);
        } catch (IllegalArgumentException e) { // a prefix the queue refuses (released by it): the message goes on without
            log.warn("{}: header prefix refused: {}", message.id(), e.getMessage());
            committed = message.commit();
        }
        committed.whenComplete((id, failure) -> loop.execute(() -> reply.complete(committed(failure, start))));
    }

    private static void release(ByteBuf b) {
        if (b != null) {
            b.release();
        }
    }

    private SmtpReply committed(Throwable failure, long start) {
        if (failure == null) {
            events.messageQueued(new MailEvent.MessageQueued(message.id(), tx.sender, tx.recipients().size(), size,
                    clientAddress, System.nanoTime() - start, messageId.value()));
            return ServerReplies.queued(message.id());
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        log.warn("{}: could not queue message from {}: {}", message.id(), client, cause.toString());
        return cause instanceof StorageFullException ? Replies.STORAGE_FULL : Replies.LOCAL_ERROR;
    }

    /** Drops the message: nothing of it stays. */
    void abort() {
        message.abort();
        check.abort();
    }
}
