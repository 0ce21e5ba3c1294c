package dev.mta.server.smtp;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.policy.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's commands, each in four steps: the grammar's own refusal, the junk count, the order of commands
 * ({@link CommandSequence}), then the policy chain; only a command that passes them all does its work, here. A
 * pending verdict holds the command (and reading) until it is in ({@link SessionChannel#await}). Event loop only.
 */
final class CommandHandler {
    // The session's logger: operators look for a session's troubles in one place.
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final ServerConfig config;
    private final ServerReplies replies;
    private final SessionPolicy policies;
    private final EnvelopeBudget envelopes;
    private final JunkCommands junk;
    private final Conversation talk;
    private final SessionChannel out;
    private final MessageReceiver receiver;
    private final StartTls tls;
    private final AuthExchange auth;

    CommandHandler(ServerConfig config, ServerReplies replies, SessionPolicy policies, EnvelopeBudget envelopes,
                   JunkCommands junk, Conversation talk, SessionChannel out, MessageReceiver receiver, StartTls tls,
                   AuthExchange auth) {
        this.tls = tls;
        this.auth = auth;
        this.config = config;
        this.replies = replies;
        this.policies = policies;
        this.envelopes = envelopes;
        this.junk = junk;
        this.talk = talk;
        this.out = out;
        this.receiver = receiver;
    }

    void onCommand(SmtpCommand cmd) {
        talk.commands().received(cmd.verb());
        out.answering(cmd.verb());
        if (cmd.verb() == SmtpVerb.HTTP_METHOD) {
            out.closeWith(cmd.rejection()); // nothing a web page sends may reach the commands after it
            return;
        }
        if (cmd.isRejected()) {
            out.error(cmd.rejection());
            return;
        }
        if (junk.pastLimit(cmd.verb()) && out.tooManyErrors()) {
            return; // past the junk limit the command is also an error, and this one was one too many
        }
        SmtpReply outOfSequence = CommandSequence.refusal(talk.state(), cmd.verb());
        if (outOfSequence != null) {
            out.error(outOfSequence);
            return;
        }
        switch (cmd.verb()) {
            case HELO:
            case EHLO:
                hello(cmd);
                break;
            case MAIL:
                mail(cmd);
                break;
            case RCPT:
                rcpt(cmd);
                break;
            case DATA:
                data();
                break;
            case RSET:
                talk.reset();
                out.reply(Replies.RESET_OK);
                break;
            case NOOP:
                out.reply(Replies.NOOP_OK);
                break;
            case QUIT:
                out.closeWith(Replies.BYE);
                break;
            case VRFY:
                // Unless a policy (local recipients, --vrfy) answers: no address harvesting (RFC 5321 3.5.3).
                SmtpReply vrfy = policies.onVrfy(talk, cmd.argument());
                out.reply(vrfy != null ? vrfy : Replies.CANNOT_VRFY);
                break;
            case EXPN:
                SmtpReply expn = policies.onExpn(talk, cmd.argument());
                out.reply(expn != null ? expn : Replies.EXPN_DISABLED);
                break;
            case HELP:
                out.reply(replies.help);
                break;
            case STARTTLS:
                startTls();
                break;
            case AUTH:
                auth.start(cmd);
                break;
            default:
                out.error(Replies.UNRECOGNIZED);
        }
    }

    /** RFC 3207: not offered, 502; under TLS already, 503; else 220 and the handshake (in a transaction: 503, above). */
    private void startTls() {
        if (!tls.available()) {
            out.error(Replies.NOT_IMPLEMENTED);
        } else if (talk.tlsActive()) {
            out.error(StartTls.ALREADY_ACTIVE);
        } else {
            out.counted(StartTls.READY); // begin() writes it itself, before the handshake
            tls.begin();
        }
    }

    private void hello(SmtpCommand cmd) {
        boolean esmtp = cmd.verb() == SmtpVerb.EHLO;
        Verdict verdict = policies.onHelo(talk, cmd.argument(), esmtp);
        if (verdict.isPending()) {
            out.await(verdict, v -> hello(cmd, esmtp, v));
            return;
        }
        hello(cmd, esmtp, verdict);
    }

    private void hello(SmtpCommand cmd, boolean esmtp, Verdict verdict) {
        if (out.refused(verdict)) {
            return;
        }
        talk.greeted(cmd.argument(), cmd.verb());
        out.reply(esmtp ? replies.ehlo.reply(talk, auth.offered()) : replies.helo);
    }

    private void mail(SmtpCommand cmd) {
        Verdict verdict = policies.onMail(talk, cmd.path(), cmd.mailParameters());
        if (verdict.isPending()) {
            out.await(verdict, v -> mail(cmd, v));
            return;
        }
        mail(cmd, verdict);
    }

    private void mail(SmtpCommand cmd, Verdict verdict) {
        if (out.refused(verdict)) {
            return;
        }
        Transaction transaction = new Transaction(cmd.path(), cmd.mailParameters(), envelopes);
        talk.begin(transaction);
        // Begun now, so that lookups on the envelope (SPF) overlap the rest of the transaction.
        try {
            transaction.check = policies.contentCheck(talk, transaction);
        } catch (RuntimeException e) { // a check that cannot begin must not leave MAIL unanswered: the mail goes on
            log.warn("content check for MAIL from {} not begun: {}", talk.clientText(), e.toString());
        }
        out.reply(Replies.SENDER_OK);
    }

    private void rcpt(SmtpCommand cmd) {
        MailPath path = cmd.path();
        // <Postmaster> without a domain means this server's postmaster (RFC 5321 4.1.1.3).
        MailPath recipient = path.isBarePostmaster() ? new MailPath(path.localPart(), config.hostname(), false) : path;
        Transaction transaction = talk.transaction();
        Verdict verdict = policies.onRcpt(talk, transaction, recipient);
        if (verdict.isPending()) {
            out.await(verdict, v -> rcpt(transaction, recipient, v));
            return;
        }
        rcpt(transaction, recipient, verdict);
    }

    private void rcpt(Transaction transaction, MailPath recipient, Verdict verdict) {
        if (out.refused(verdict)) {
            return;
        }
        // Not a policy: the envelope budget is memory taken as the recipient is stored (452 4.3.1 when there is none).
        SmtpReply reply = transaction.addRecipient(recipient);
        if (reply == Replies.RECIPIENT_OK) {
            talk.accepted(SmtpVerb.RCPT);
        }
        out.reply(reply);
    }

    private void data() {
        if (out.shuttingDown()) {
            out.closeWith(replies.shuttingDown); // no new message while stopping; one in flight may still finish
            return;
        }
        Transaction transaction = talk.transaction();
        Verdict verdict = policies.onData(talk, transaction);
        if (verdict.isPending()) {
            out.await(verdict, v -> data(transaction, v));
            return;
        }
        data(transaction, verdict);
    }

    private void data(Transaction transaction, Verdict verdict) {
        if (out.refused(verdict)) {
            return;
        }
        receiver.start(transaction);
    }
}
