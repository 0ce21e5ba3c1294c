package dev.mta.server;

import dev.mta.server.auth.AuthFailures;
import dev.mta.server.auth.PasswordCheck;
import dev.mta.server.net.Transport;
import dev.mta.server.pop3.Pop3Observer;
import dev.mta.server.pop3.Pop3Server;
import dev.mta.server.pop3.Pop3Settings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;

/** {@link MtaStarter}'s POP3 steps: whether it runs (it needs users), its addresses checked free, and its start. */
final class Pop3Start {
    /** Mta's logger: the start-up lines keep one name. */
    private static final Logger log = LoggerFactory.getLogger(Mta.class);

    private Pop3Start() {
    }

    /**
     * Whether POP3 is to run; its listen addresses checked free when it is. Listeners configured without users
     * (no {@code --users}) are said in one line and not opened: no one could log in.
     */
    static boolean checkBindable(Pop3Settings settings, AuthSettings auth) throws BindException {
        if (!settings.configured()) {
            return false;
        }
        if (!auth.enabled() || !settings.enabled()) {
            log.info("POP3: not served, no --users: without users no one could log in");
            return false;
        }
        for (InetSocketAddress a : settings.listen()) {
            MtaStarter.checkBindable(a);
        }
        for (InetSocketAddress a : settings.implicitTls()) {
            MtaStarter.checkBindable(a);
        }
        return true;
    }

    /** Starts the POP3 server: the users and the failure table SMTP AUTH has, the TLS context it has. */
    static Pop3Server start(Pop3Settings settings, AuthSettings auth, AuthFailures failures, TlsContexts tls,
                            Transport transport, EventLoopGroup acceptors, EventLoopGroup workers, Pop3Observer observer)
            throws InterruptedException {
        Pop3Server pop3 = new Pop3Server(settings, transport, acceptors, workers)
                .withTls(tls)
                .withAuth(auth.users(), auth.allowPlaintext(), failures, PasswordCheck.DEFAULT_FAILURE_DELAY_MILLIS)
                .withObserver(observer);
        pop3.start();
        if (settings.idleTimeout().toSeconds() < 600) {
            log.warn("--pop3-idle-timeout is {} s, below the 10 minutes RFC 1939 3 asks of a POP3 server's autologout"
                    + " timer: slow clients may be logged out while they work", settings.idleTimeout().toSeconds());
        }
        log.info("POP3: maildrops under {}, for {} users of {}, login {}", settings.mailRoot().root(),
                auth.users().size(), auth.users().file(),
                auth.allowPlaintext() ? "also without TLS" : "under TLS or from loopback");
        return pop3;
    }
}
