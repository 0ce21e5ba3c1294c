package dev.mta.relay.transport.smtp;

import io.netty.handler.codec.smtp.SmtpResponse;

/** The next hop answered a step of the conversation with a reply that ends it. */
public final class SmtpReplyException extends Exception {
    private final transient SmtpResponse reply;
    private final String stage;

    public SmtpReplyException(String stage, SmtpResponse reply) {
        super(stage + ": " + Replies.text(reply), null, false, false);
        this.reply = reply;
        this.stage = stage;
    }

    /** The step that was answered: "greeting", "EHLO", "HELO", ... */
    public String stage() {
        return stage;
    }

    public SmtpResponse reply() {
        return reply;
    }

    public boolean isPermanent() {
        return reply.code() >= 500;
    }
}
