package dev.mta.server.pop3;

import dev.mta.mailbox.maildir.MailRoot;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The POP3 server's settings: its listeners (STLS offered on {@code listen}, implicit TLS on {@code implicitTls}), the
 * inactivity timer (RFC 1939 3: at least 10 minutes by default), the connection limit, where the maildrops are, and
 * whether there are users to log in ({@code --users}): without them no one could, so nothing listens.
 */
public record Pop3Settings(List<InetSocketAddress> listen, List<InetSocketAddress> implicitTls, Duration idleTimeout,
                           int maxConnections, MailRoot mailRoot, boolean usersGiven) {
    /** No POP3. */
    public static final Pop3Settings OFF = new Pop3Settings(List.of(), List.of(), Duration.ofMinutes(10), 1, null, false);

    public Pop3Settings {
        listen = List.copyOf(listen);
        implicitTls = List.copyOf(implicitTls);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("pop3-max-connections must be at least 1, not " + maxConnections);
        }
    }

    /** Whether any listener is configured, users or not. */
    public boolean configured() {
        return !listen.isEmpty() || !implicitTls.isEmpty();
    }

    /** Whether the server is to run: listeners configured, and users who can log in. */
    public boolean enabled() {
        return configured() && usersGiven && mailRoot != null;
    }
}
