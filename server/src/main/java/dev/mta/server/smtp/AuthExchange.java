package dev.mta.server.smtp;

import dev.mta.protocol.sasl.SaslPlain;

import dev.mta.protocol.codec.ResponseLine;
import dev.mta.protocol.codec.SmtpCommandDecoder;
import dev.mta.protocol.command.SmtpCommand;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.auth.PasswordCheck;
import dev.mta.server.events.LogText;
import dev.mta.server.policy.AuthLockout;
import dev.mta.server.policy.Verdict;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * SMTP AUTH (RFC 4954) for one session, mechanisms PLAIN (RFC 4616) and LOGIN. The continuation lines are not
 * commands: after each {@code 334} the command decoder is told to hand the next line on as a {@link ResponseLine}
 * ({@link SmtpCommandDecoder#responseLineNext()}), bounded by the framer's line limit as commands are. The password is
 * checked on the {@link dev.mta.server.auth.VerifierPool}, never here: the check is a pending verdict
 * ({@link SessionChannel#await}), so reading is paused until it is in. A failure is answered after a delay scheduled on
 * the event loop (reading still paused), and counted per client address ({@link AuthFailures}): at the limit the
 * session ends with {@code 421 4.7.0} and the address is refused at connect for a while. Passwords are never logged;
 * their bytes and chars are cleared once handed to the store. Event loop only.
 */
final class AuthExchange {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN");
    static final SmtpReply SUCCESS = SmtpReply.of(235, "2.7.0", "Authentication successful");
    static final SmtpReply INVALID = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    static final SmtpReply TEMPORARY = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    static final SmtpReply CANCELLED = SmtpReply.of(501, "5.0.0", "Authentication aborted");
    static final SmtpReply BAD_BASE64 = SmtpReply.of(501, "5.5.2", "Cannot decode response");
    static final SmtpReply ALREADY = SmtpReply.of(503, "5.5.1", "Error: already authenticated");
    static final SmtpReply NEED_EHLO = SmtpReply.of(503, "5.5.1", "Error: send EHLO first");
    static final SmtpReply TLS_REQUIRED = SmtpReply.of(538, "5.7.11",
            "Encryption required for requested authentication mechanism");
    static final SmtpReply UNSUPPORTED = SmtpReply.of(504, "5.5.4", "Unsupported authentication mechanism");
    private static final SmtpReply EMPTY_CHALLENGE = SmtpReply.of(334, (EnhancedStatus) null, "");
    private static final SmtpReply USERNAME = SmtpReply.of(334, (EnhancedStatus) null, "VXNlcm5hbWU6");
    private static final SmtpReply PASSWORD = SmtpReply.of(334, (EnhancedStatus) null, "UGFzc3dvcmQ6");
    private static final Verdict FAILED = Verdict.refuse(INVALID);
    private static final Verdict BUSY = Verdict.refuse(TEMPORARY);
    /** A failure that locked the client's address out: the session ends. */
    private static final Verdict LOCKED_OUT = Verdict.refuse(INVALID);

    /** What the next response line is. */
    private enum Step { NONE, PLAIN, LOGIN_USER, LOGIN_PASSWORD }

    private final AuthSettings settings;
    private final PasswordCheck check;
    private final Conversation talk;
    private final SessionChannel out;
    private ChannelHandlerContext ctx;
    private Step step = Step.NONE;
    private String loginUser;

    AuthExchange(AuthSettings settings, AuthFailures failures, long failureDelayMillis, Conversation talk,
                 SessionChannel out) {
        this.settings = settings;
        this.check = new PasswordCheck(settings.users(), failures, failureDelayMillis);
        this.talk = talk;
        this.out = out;
    }

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Whether AUTH may be used in this session now: users configured, and TLS, loopback or plaintext allowed. */
    boolean offered() {
        return settings.enabled() && mayUseWithoutTls();
    }

    private boolean mayUseWithoutTls() {
        InetAddress a = talk.clientAddress();
        return talk.tlsActive() || settings.allowPlaintext() || (a != null && a.isLoopbackAddress());
    }

    /** AUTH in sequence (greeted, no transaction). */
    void start(SmtpCommand cmd) {
        if (!settings.enabled()) {
            out.error(Replies.NOT_IMPLEMENTED);
            return;
        }
        if (talk.authenticated()) {
            out.error(ALREADY); // RFC 4954 4: once per session
            return;
        }
        if (!talk.esmtp()) {
            out.error(NEED_EHLO);
            return;
        }
        if (!mayUseWithoutTls()) {
            out.error(TLS_REQUIRED); // RFC 4954 6
            return;
        }
        String arg = cmd.argument();
        int sp = arg.indexOf(' ');
        String mechanism = (sp < 0 ? arg : arg.substring(0, sp)).toUpperCase(Locale.ROOT);
        String initial = sp < 0 ? null : arg.substring(sp + 1).strip();
        if (!MECHANISMS.contains(mechanism)) {
            out.error(UNSUPPORTED);
            return;
        }
        talk.authenticating();
        if (mechanism.equals("PLAIN")) {
            step = Step.PLAIN;
            if (initial == null) {
                challenge(EMPTY_CHALLENGE);
            } else {
                respond(initial);
            }
        } else {
            step = Step.LOGIN_USER;
            if (initial == null) {
                challenge(USERNAME);
            } else {
                respond(initial); // RFC 4954 allows an initial response: the user name
            }
        }
    }

    /** A line the client sent after a 334. */
    void response(ResponseLine line) {
        if (talk.state() != SessionState.AUTH || step == Step.NONE) {
            return; // cannot happen: the decoder is told only after a 334
        }
        respond(line.text());
    }

    /**
     * The line after a 334 could not be framed (too long, or a bare LF): the AUTH command ends here with
     * {@code reply} as its one final reply (RFC 4954 4), and the next line is a command again. False when no SASL
     * exchange is under way.
     */
    boolean abortedBy(SmtpReply reply) {
        if (talk.state() != SessionState.AUTH || step == Step.NONE) {
            return false;
        }
        end(null);
        SmtpCommandDecoder decoder = ctx.pipeline().get(SmtpCommandDecoder.class);
        if (decoder != null) {
            decoder.commandNext();
        }
        out.error(reply);
        return true;
    }

    private void challenge(SmtpReply reply) {
        out.reply(reply);
        SmtpCommandDecoder decoder = ctx.pipeline().get(SmtpCommandDecoder.class);
        if (decoder != null) {
            decoder.responseLineNext();
        }
    }

    private void respond(String text) {
        if (text.equals("*")) {
            end(null);
            out.reply(CANCELLED);
            return;
        }
        // "=" is an empty initial response (RFC 4954 4); a continuation line is empty as it is.
        byte[] decoded = SaslPlain.decodeResponse(text);
        if (decoded == null) {
            end(null);
            out.error(BAD_BASE64);
            return;
        }
        switch (step) {
            case PLAIN:
                plain(decoded);
                break;
            case LOGIN_USER:
                loginUser = SaslPlain.utf8String(decoded, 0, decoded.length);
                Arrays.fill(decoded, (byte) 0);
                if (loginUser == null) {
                    end(null);
                    out.error(BAD_BASE64);
                    return;
                }
                step = Step.LOGIN_PASSWORD;
                challenge(PASSWORD);
                break;
            case LOGIN_PASSWORD:
                String user = loginUser;
                loginUser = null;
                verify(user, decoded, 0, decoded.length);
                break;
            default:
                throw new IllegalStateException("no SASL exchange under way");
        }
    }

    /** RFC 4616: [authzid] NUL authcid NUL passwd; an authzid other than the authcid is not allowed. */
    private void plain(byte[] message) {
        SaslPlain.Plain p = SaslPlain.parse(message);
        if (p == null) {
            Arrays.fill(message, (byte) 0);
            verify(null, message, 0, 0);
            return;
        }
        verify(p.authcid(), message, p.passwordFrom(), p.passwordTo());
    }

    /** Checks {@code bytes[from, to)} as {@code user}'s password (null user: fails as a wrong password would). */
    private void verify(String user, byte[] bytes, int from, int to) {
        char[] password = SaslPlain.utf8Chars(bytes, from, to);
        Arrays.fill(bytes, (byte) 0);
        step = Step.NONE;
        CompletableFuture<PasswordCheck.Outcome> outcome = check.check(talk.clientAddress(), user, password,
                out.executor());
        if (outcome.isDone() && outcome.join().result() == PasswordCheck.Result.THROTTLED) {
            // Failures and checks under way from this address reach the limit: no more guesses run in parallel.
            end(null);
            out.reply(TEMPORARY);
            return;
        }
        CompletableFuture<Verdict> later = outcome.thenApply(o -> switch (o.result()) {
            case ACCEPTED -> Verdict.ACCEPT;
            case REJECTED -> FAILED;
            case LOCKED_OUT -> LOCKED_OUT;
            default -> {
                if (o.cause() != null) {
                    log.warn("password check for {} failed: {}", talk.clientText(), o.cause().toString());
                }
                yield BUSY;
            }
        });
        out.await(Verdict.pending(later), v -> verified(user, v));
    }

    private void verified(String user, Verdict v) {
        if (v.accepted()) {
            end(user);
            log.info("{} authenticated as {}", talk.clientText(), LogText.of(user));
            out.reply(SUCCESS);
            return;
        }
        end(null);
        if (v == FAILED || v == LOCKED_OUT) {
            log.info("authentication failed for {}{}", talk.clientText(), user == null ? "" : " as " + LogText.of(user));
            if (v == LOCKED_OUT) {
                log.info("too many failed authentications from {}: refused for a while", talk.clientText());
                out.closeWith(AuthLockout.TOO_MANY_FAILURES);
                return;
            }
            v = FAILED;
        }
        out.reply(v.reply());
    }

    private void end(String user) {
        step = Step.NONE;
        loginUser = null;
        talk.authEnded(user);
    }
}
