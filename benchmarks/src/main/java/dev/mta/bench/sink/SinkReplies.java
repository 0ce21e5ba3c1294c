package dev.mta.bench.sink;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.protocol.reply.SmtpReply;

import java.util.ArrayList;
import java.util.List;

/** The sink's replies, built once. */
final class SinkReplies {
    static final SmtpReply GREETING = SmtpReply.of(220, (EnhancedStatus) null, "mta-bench sink ESMTP");
    static final SmtpReply HELO = SmtpReply.of(250, (EnhancedStatus) null, "mta-bench sink");
    static final SmtpReply RCPT_TEMP = SmtpReply.of(451, "4.3.0", "Try again later (sink)");
    static final SmtpReply RCPT_PERM = SmtpReply.of(550, "5.1.1", "No such user (sink)");
    static final SmtpReply DATA_TEMP = SmtpReply.of(451, "4.3.0", "Try again later (sink)");
    static final SmtpReply DATA_PERM = SmtpReply.of(554, "5.6.0", "Message refused (sink)");
    static final SmtpReply QUEUED = SmtpReply.of(250, "2.0.0", "Ok: queued (sink)");
    static final SmtpReply NO_VALID_RECIPIENTS = SmtpReply.of(554, "5.5.1", "Error: no valid recipients");
    static final SmtpReply TOO_BIG = SmtpReply.of(552, "5.3.4", "Error: message size exceeds fixed limit");
    static final SmtpReply READY_FOR_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    static final SmtpReply TLS_ALREADY = SmtpReply.of(503, "5.5.1", "Error: TLS already active");
    static final SmtpReply AUTH_OK = SmtpReply.of(235, "2.7.0", "Authentication successful");
    static final SmtpReply AUTH_PLAIN_NEXT = SmtpReply.of(334, (EnhancedStatus) null, " ");
    static final SmtpReply AUTH_USERNAME = SmtpReply.of(334, (EnhancedStatus) null, "VXNlcm5hbWU6");
    static final SmtpReply AUTH_PASSWORD = SmtpReply.of(334, (EnhancedStatus) null, "UGFzc3dvcmQ6");
    static final SmtpReply AUTH_UNKNOWN = SmtpReply.of(504, "5.5.4", "Unrecognized authentication type");

    private SinkReplies() {
    }

    /** The EHLO reply: PIPELINING, 8BITMIME, SMTPUTF8, SIZE, ENHANCEDSTATUSCODES, AUTH, and STARTTLS if offered. */
    static SmtpReply ehlo(long maxSize, boolean offerStarttls) {
        List<String> lines = new ArrayList<>(List.of("mta-bench sink", "PIPELINING", "SIZE " + maxSize,
                "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "AUTH PLAIN LOGIN"));
        if (offerStarttls) {
            lines.add("STARTTLS");
        }
        return SmtpReply.of(250, null, lines);
    }
}
