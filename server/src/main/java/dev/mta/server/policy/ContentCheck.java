package dev.mta.server.policy;

import dev.mta.protocol.reply.SmtpReply;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A check of one message's content, begun when MAIL is accepted ({@link SessionPolicy#contentCheck}): it sees the
 * client's content as it arrives, may hold back and drop parts of it before it is stored, and at the end gives a
 * verdict, with header fields to store above the message. Event loop only; it must not block.
 */
public interface ContentCheck {
    /** No check: content is stored as it comes, and the message is accepted as it is. */
    ContentCheck NONE = new ContentCheck() {
        @Override
        public ByteBuf content(ByteBuf data) {
            return data;
        }

        @Override
        public ByteBuf endOfContent() {
            return null;
        }

        @Override
        public CompletionStage<Outcome> outcome() {
            return CompletableFuture.completedFuture(Outcome.ACCEPT);
        }

        @Override
        public void abort() {
        }
    };

    /**
     * The client's content, dot-unstuffed, in order; takes ownership of {@code data} and returns what to store now
     * (owned by the caller), or null when it holds all of it back for the moment.
     */
    ByteBuf content(ByteBuf data);

    /** The content ended: what was still held back, to store after the rest (owned by the caller), or null. */
    ByteBuf endOfContent();

    /** After {@link #endOfContent()}: the verdict. Never completes exceptionally. */
    CompletionStage<Outcome> outcome();

    /** The message will not be stored: whatever is held back is let go. */
    void abort();

    /**
     * A verdict on the content: a refusal (the message is not stored), or acceptance with header fields to store
     * above the message (null for none; owned by whoever takes the outcome).
     */
    record Outcome(SmtpReply refusal, ByteBuf headerPrefix) {
        /** Accepted, nothing to add. */
        public static final Outcome ACCEPT = new Outcome(null, null);

        public boolean accepted() {
            return refusal == null;
        }
    }
}
