package dev.mta.server.pop3;

import dev.mta.protocol.codec.ResponseLine;
import dev.mta.protocol.pop3.Capabilities;
import dev.mta.protocol.pop3.Pop3Command;
import dev.mta.protocol.pop3.Pop3CommandDecoder;
import dev.mta.protocol.pop3.Pop3Reply;
import dev.mta.protocol.pop3.ResponseCode;
import dev.mta.protocol.sasl.SaslPlain;
import dev.mta.server.auth.PasswordCheck;
import dev.mta.server.events.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Logging in, for one POP3 session: USER and PASS (RFC 1939 7) and AUTH PLAIN (RFC 5034, RFC 4616), allowed only under
 * TLS, from loopback, or with plaintext logins allowed. The password is checked by the {@link PasswordCheck} SMTP AUTH
 * uses too, so failures from one address count together and lock it out alike; reading is paused while it runs. After
 * AUTH's {@code + } the decoder is told the next line is a SASL response. A login that checks out goes on to the
 * maildrop ({@code verified}). Event loop only.
 */
final class Pop3Login {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    static final Pop3Reply TLS_REQUIRED = Pop3Reply.err(ResponseCode.AUTH,
            "Plaintext authentication disallowed on non-secure connections: use STLS");
    static final Pop3Reply USER_FIRST = Pop3Reply.err("Send USER first");
    static final Pop3Reply USER_OK = Pop3Reply.ok("Send PASS");
    static final Pop3Reply FAILED = Pop3Reply.err(ResponseCode.AUTH, "Authentication failed");
    static final Pop3Reply LOCKED_OUT = Pop3Reply.err(ResponseCode.AUTH, "Authentication failed; too many failures, closing");
    static final Pop3Reply THROTTLED = Pop3Reply.err(ResponseCode.SYS_TEMP,
            "Too many failed authentications from your address, try later");
    static final Pop3Reply UNAVAILABLE = Pop3Reply.err(ResponseCode.SYS_TEMP, "Temporary authentication failure");
    static final Pop3Reply CANCELLED = Pop3Reply.err("Authentication cancelled");
    static final Pop3Reply BAD_BASE64 = Pop3Reply.err("Cannot decode response");
    static final Pop3Reply UNSUPPORTED = Pop3Reply.err("Unsupported authentication mechanism");
    static final Pop3Reply MECHANISMS = Pop3Reply.multiLine("Mechanisms follow", Capabilities.SASL_MECHANISMS);
    private static final Pop3Reply EMPTY_CHALLENGE = Pop3Reply.continuation("");

    private final PasswordCheck check;
    private final boolean allowPlaintext;
    private final Pop3Conversation talk;
    private final Pop3Out out;
    private final Pop3Input input;
    private final Pop3Observer observer;
    private final Consumer<String> verified;
    /** The name USER gave, for the PASS that follows. */
    private String userName;
    /** AUTH PLAIN sent {@code + } and waits for the response line. */
    private boolean awaitingResponse;

    Pop3Login(PasswordCheck check, boolean allowPlaintext, Pop3Conversation talk, Pop3Out out, Pop3Input input,
              Pop3Observer observer, Consumer<String> verified) {
        this.check = check;
        this.allowPlaintext = allowPlaintext;
        this.talk = talk;
        this.out = out;
        this.input = input;
        this.observer = observer;
        this.verified = verified;
    }

    /** Whether a login may happen on this connection now (RFC 2595 2.1: not in the clear, unless allowed). */
    boolean allowed() {
        return talk.tlsActive() || allowPlaintext || (talk.client() != null && talk.client().isLoopbackAddress());
    }

    void user(Pop3Command cmd) {
        if (!allowed()) {
            out.error(TLS_REQUIRED);
            return;
        }
        userName = cmd.argument(0);
        out.reply(USER_OK); // the same for every name: nothing tells who exists
    }

    void pass(Pop3Command cmd) {
        if (!allowed()) {
            out.error(TLS_REQUIRED);
            return;
        }
        if (userName == null) {
            out.error(USER_FIRST);
            return;
        }
        String user = userName;
        userName = null; // RFC 1939 7: after a failed PASS the client starts over with USER
        verify(user, cmd.argument(0).toCharArray());
    }

    void auth(Pop3Command cmd) {
        if (cmd.arguments().isEmpty()) {
            // The mechanisms only where a login may happen, as CAPA's SASL line: elsewhere the answer is to use STLS.
            if (allowed()) {
                out.reply(MECHANISMS);
            } else {
                out.error(TLS_REQUIRED);
            }
            return;
        }
        if (!allowed()) {
            out.error(TLS_REQUIRED);
            return;
        }
        if (!cmd.argument(0).toUpperCase(Locale.ROOT).equals("PLAIN")) {
            out.error(UNSUPPORTED);
            return;
        }
        userName = null;
        if (cmd.argument(1) != null) {
            respond(cmd.argument(1)); // "=" is an empty initial response (RFC 5034 4)
            return;
        }
        awaitingResponse = true;
        out.reply(EMPTY_CHALLENGE);
        out.flush(); // the client waits for it before it sends anything more
        Pop3CommandDecoder decoder = out.ctx().pipeline().get(Pop3CommandDecoder.class);
        if (decoder != null) {
            decoder.responseLineNext();
        }
    }

    /** STLS is done: a name given before it is forgotten (RFC 2595 4). */
    void forget() {
        userName = null;
    }

    /** A line after AUTH's {@code + }. */
    void response(ResponseLine line) {
        if (awaitingResponse) {
            awaitingResponse = false;
            respond(line.text());
        }
    }

    /** The line after {@code + } could not be framed: AUTH ends with {@code reply}. False when none was awaited. */
    boolean abortedBy(Pop3Reply reply) {
        if (!awaitingResponse) {
            return false;
        }
        awaitingResponse = false;
        Pop3CommandDecoder decoder = out.ctx().pipeline().get(Pop3CommandDecoder.class);
        if (decoder != null) {
            decoder.commandNext();
        }
        out.error(reply);
        return true;
    }

    private void respond(String text) {
        if (text.equals("*")) {
            out.reply(CANCELLED);
            return;
        }
        byte[] message = SaslPlain.decodeResponse(text);
        if (message == null) {
            out.error(BAD_BASE64);
            return;
        }
        SaslPlain.Plain p = SaslPlain.parse(message);
        char[] password = p == null ? null : SaslPlain.utf8Chars(message, p.passwordFrom(), p.passwordTo());
        Arrays.fill(message, (byte) 0);
        verify(p == null ? null : p.authcid(), password);
    }

    private void verify(String user, char[] password) {
        input.pause(Pop3Input.Reason.WORK);
        check.check(talk.client(), user, password, out.ctx().executor()).whenComplete((o, e) ->
                out.ctx().executor().execute(() -> checked(user, o, e)));
    }

    private void checked(String user, PasswordCheck.Outcome o, Throwable e) {
        if (!out.open()) {
            return;
        }
        PasswordCheck.Result r = e != null ? PasswordCheck.Result.UNAVAILABLE : o.result();
        if (r == PasswordCheck.Result.ACCEPTED) {
            verified.accept(user); // the maildrop opens; reading resumes when it has
            return;
        }
        String who = user == null ? "" : " user=" + LogText.of(user);
        switch (r) {
            case REJECTED -> {
                log.info("pop3 login failed{} client={}", who, talk.clientText());
                observer.login(Pop3Observer.LoginResult.FAILED);
                out.reply(FAILED);
            }
            case LOCKED_OUT -> {
                log.info("pop3 login failed{} client={}: too many failures, address locked out for a while", who,
                        talk.clientText());
                observer.login(Pop3Observer.LoginResult.FAILED);
                out.closeWith(LOCKED_OUT);
                return;
            }
            case THROTTLED -> {
                observer.login(Pop3Observer.LoginResult.FAILED);
                out.reply(THROTTLED);
            }
            default -> {
                Throwable cause = e != null ? e : o.cause();
                if (cause != null) {
                    log.warn("pop3 password check for {} failed: {}", talk.clientText(), cause.toString());
                }
                observer.login(Pop3Observer.LoginResult.ERROR);
                out.reply(UNAVAILABLE);
            }
        }
        input.resume(Pop3Input.Reason.WORK);
        out.flush();
    }
}
