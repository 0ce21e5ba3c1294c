package dev.mta.server.smtp;

import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.policy.SessionFacts;

import java.util.ArrayList;
import java.util.List;

/**
 * The EHLO reply, per session: what the server offers (its name, size limit, TLS, AUTH mechanisms) with what the
 * session has done (TLS active or not). The few possible replies are built once, so a session picks one and
 * allocates nothing. Immutable, shared by all sessions.
 */
final class EhloCapabilities {
    private final SmtpReply plain;
    private final SmtpReply underTls;
    private final SmtpReply plainWithAuth;
    private final SmtpReply underTlsWithAuth;
    private final boolean authNeedsTls;

    private EhloCapabilities(Builder b) {
        this.plain = build(b, false, false);
        this.underTls = build(b, true, false);
        this.plainWithAuth = build(b, false, true);
        this.underTlsWithAuth = build(b, true, true);
        this.authNeedsTls = b.authNeedsTls;
    }

    /** What a server named {@code hostname} with {@code maxMessageSize} offers, without TLS or AUTH so far. */
    static Builder builder(String hostname, long maxMessageSize) {
        return new Builder(hostname, maxMessageSize);
    }

    /** The EHLO reply for this session. */
    SmtpReply reply(SessionFacts session) {
        return reply(session, session.tlsActive() || !authNeedsTls);
    }

    /** The EHLO reply for this session, with AUTH when {@code authOffered} (and mechanisms are configured). */
    SmtpReply reply(SessionFacts session, boolean authOffered) {
        if (session.tlsActive()) {
            return authOffered ? underTlsWithAuth : underTls;
        }
        return authOffered ? plainWithAuth : plain;
    }

    private static SmtpReply build(Builder b, boolean tlsActive, boolean authOffered) {
        // RFC 2034: no enhanced codes in the EHLO response; the first line names the server.
        List<String> lines = new ArrayList<>();
        lines.add(b.hostname);
        lines.add("PIPELINING");
        lines.add("SIZE " + b.maxMessageSize);
        if (b.tlsAvailable && !tlsActive) {
            lines.add("STARTTLS"); // RFC 3207 4.2: not offered again once TLS is on
        }
        if (!b.authMechanisms.isEmpty() && authOffered) {
            lines.add("AUTH " + String.join(" ", b.authMechanisms));
        }
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        return SmtpReply.of(250, null, lines);
    }

    /** What goes into the replies; defaults to no TLS and no AUTH, as the server is today. */
    static final class Builder {
        private final String hostname;
        private final long maxMessageSize;
        private boolean tlsAvailable;
        private List<String> authMechanisms = List.of();
        private boolean authNeedsTls = true;

        private Builder(String hostname, long maxMessageSize) {
            this.hostname = hostname;
            this.maxMessageSize = maxMessageSize;
        }

        /** Whether STARTTLS can be offered (a certificate is configured). */
        Builder tlsAvailable(boolean available) {
            this.tlsAvailable = available;
            return this;
        }

        /** SASL mechanisms to advertise; none means no AUTH line. */
        Builder authMechanisms(List<String> mechanisms) {
            this.authMechanisms = List.copyOf(mechanisms);
            return this;
        }

        /** Whether AUTH is offered only under TLS (the default: no passwords in the clear). */
        Builder authNeedsTls(boolean needsTls) {
            this.authNeedsTls = needsTls;
            return this;
        }

        EhloCapabilities build() {
            return new EhloCapabilities(this);
        }
    }
}
