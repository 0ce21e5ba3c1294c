package dev.mta.server;

import dev.mta.mailbox.maildir.MailRoot;
import dev.mta.server.config.Defaults;
import dev.mta.server.config.HostPort;
import dev.mta.server.pop3.Pop3Settings;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.List;

import static dev.mta.server.OptionValues.parsed;
import static dev.mta.server.OptionValues.seconds;

/**
 * The POP3 server's options (a picocli mixin of {@link MtaMain}): its listeners, the inactivity timer and the
 * connection limit. POP3 runs only with {@code --users}: without users no one could log in, so nothing listens.
 * Each value's errors name its key.
 */
final class Pop3Options {
    @Option(names = "--pop3-listen", paramLabel = "HOST:PORT[,...]", defaultValue = Defaults.POP3_LISTEN,
            description = "POP3 listeners (STLS offered), separated by commas, or empty for none; served only with --users (default: ${DEFAULT-VALUE})")
    String pop3Listen;

    @Option(names = "--pop3s-listen", paramLabel = "HOST:PORT[,...]",
            description = "Implicit-TLS POP3 listeners (port 995 style), separated by commas; served only with --users (default: none)")
    String pop3sListen;

    @Option(names = "--pop3-idle-timeout", paramLabel = "SECONDS", defaultValue = "" + Defaults.POP3_IDLE_TIMEOUT_SECONDS,
            description = "Close a POP3 session idle this long, without removing anything (default: ${DEFAULT-VALUE}, RFC 1939: at least 600)")
    long idleTimeout;

    @Option(names = "--pop3-max-connections", paramLabel = "N", defaultValue = "" + Defaults.POP3_MAX_CONNECTIONS,
            description = "Concurrent POP3 connections; more get -ERR [SYS/TEMP] (default: ${DEFAULT-VALUE})")
    int maxConnections;

    /** The settings these options give, mailboxes under {@code mailRoot}; IllegalArgumentException naming the key. */
    Pop3Settings settings(MailRoot mailRoot, boolean usersGiven) {
        List<InetSocketAddress> listen = listen("pop3-listen", pop3Listen);
        List<InetSocketAddress> implicit = listen("pop3s-listen", pop3sListen);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("pop3-max-connections must be at least 1, not " + maxConnections);
        }
        return new Pop3Settings(listen, implicit, seconds("pop3-idle-timeout", idleTimeout), maxConnections,
                mailRoot, usersGiven);
    }

    /** A list of addresses; empty (or {@code off}) for none. */
    private static List<InetSocketAddress> listen(String key, String value) {
        if (value == null || value.isBlank() || value.strip().equals("off")) {
            return List.of();
        }
        return parsed(key, () -> HostPort.parseList(value));
    }
}
