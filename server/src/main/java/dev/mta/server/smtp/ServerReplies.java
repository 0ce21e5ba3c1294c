package dev.mta.server.smtp;

import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.config.ServerConfig;

/** The replies that name this server or its limits, built once from the configuration. */
final class ServerReplies {
    final SmtpReply greeting;
    final SmtpReply helo;
    final EhloCapabilities ehlo;
    final SmtpReply help;
    final SmtpReply shuttingDown;
    final SmtpReply timeout;
    final SmtpReply dataTooLong;
    final SmtpReply dataTooSlow;
    final SmtpReply tooManyConnections;
    final SmtpReply tooManyFromClient;
    final SmtpReply tooFastFromClient;
    final SmtpReply earlyTalker;

    ServerReplies(ServerConfig config) {
        this(config, false);
    }

    /** With {@code tls}: STARTTLS is offered (until it is done). */
    ServerReplies(ServerConfig config, boolean tls) {
        this(config, tls, false);
    }

    /** With {@code auth}: AUTH PLAIN LOGIN is offered to sessions that may use it ({@code AuthExchange#offered}). */
    ServerReplies(ServerConfig config, boolean tls, boolean auth) {
        String host = config.hostname();
        greeting = SmtpReply.of(220, (EnhancedStatus) null, host + " ESMTP ready");
        helo = SmtpReply.of(250, (EnhancedStatus) null, host);
        ehlo = EhloCapabilities.builder(host, config.maxMessageSize()).tlsAvailable(tls)
                .authMechanisms(auth ? AuthExchange.MECHANISMS : java.util.List.of()).build();
        help = SmtpReply.of(214, "2.0.0",
                "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP" + (tls ? " STARTTLS" : "") + (auth ? " AUTH" : ""),
                "Extensions: PIPELINING SIZE" + (tls ? " STARTTLS" : "") + " 8BITMIME SMTPUTF8 ENHANCEDSTATUSCODES",
                "See RFC 5321 for the protocol");
        shuttingDown = SmtpReply.of(421, "4.3.2", host + " Service shutting down, closing transmission channel");
        timeout = SmtpReply.of(421, "4.4.2", host + " Error: timeout exceeded, closing transmission channel");
        dataTooLong = SmtpReply.of(421, "4.4.2",
                host + " Error: message transfer took too long, closing transmission channel");
        dataTooSlow = SmtpReply.of(421, "4.4.2",
                host + " Error: message transfer too slow, closing transmission channel");
        tooManyConnections = SmtpReply.of(421, "4.3.2", host + " Error: too many connections, try again later");
        tooManyFromClient = SmtpReply.of(421, "4.7.0",
                host + " Error: too many connections from your address, try again later");
        tooFastFromClient = SmtpReply.of(421, "4.7.0",
                host + " Error: too many connections from your address in the last minute, try again later");
        earlyTalker = SmtpReply.of(554, "5.5.0", host + " Error: SMTP protocol violation: talked before the greeting");
    }

    static SmtpReply queued(String id) {
        return SmtpReply.of(250, "2.0.0", "Ok: queued as " + id);
    }
}
