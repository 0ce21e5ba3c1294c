package dev.mta.server.mailauth;

import dev.mta.server.config.MailauthSettings;
import dev.mta.server.policy.ContentCheck;
import dev.mta.server.policy.RelayRules;
import dev.mta.server.policy.SessionFacts;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.policy.TransactionFacts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * The SMTP listener's receive-side policy: each transaction of a client it is to check (every one, or those outside
 * mynetworks that did not authenticate) gets a {@link MessageAuth}, begun at MAIL.
 */
public final class ReceivedMailAuth implements SessionPolicy {
    private static final Logger log = LoggerFactory.getLogger(ReceivedMailAuth.class);

    private final MailauthSettings settings;
    private final Checkers checkers;
    private final String authservId;
    private final RelayRules rules;

    ReceivedMailAuth(MailauthSettings settings, Checkers checkers, String authservId, RelayRules rules) {
        this.settings = settings;
        this.checkers = checkers;
        this.authservId = authservId;
        this.rules = rules;
    }

    /** The policy for {@code settings}, its resolver on {@code loops}; mynetworks read from {@code rules} per MAIL. */
    public static ReceivedMailAuth start(MailauthSettings settings, String hostname, RelayRules rules,
                                         EventLoopGroup loops, Class<? extends DatagramChannel> udp,
                                         Class<? extends SocketChannel> tcp, InetSocketAddress dnsServer) {
        return new ReceivedMailAuth(settings, Checkers.start(settings, hostname, loops, udp, tcp, dnsServer), hostname,
                rules);
    }

    @Override
    public ContentCheck contentCheck(SessionFacts session, TransactionFacts transaction) {
        if (!settings.enabled() || session.clientAddress() == null) {
            return ContentCheck.NONE;
        }
        if (settings.mode() == MailauthSettings.Mode.UNTRUSTED
                && (session.authenticated() || rules.current().inMynetworks(session.clientAddress()))) {
            return ContentCheck.NONE;
        }
        try {
            return new MessageAuth(checkers, settings, authservId, session.clientAddress(), session.heloName(),
                    transaction.sender().address());
        } catch (RuntimeException e) { // never a crash: the message goes on unverified
            log.warn("mailauth: verification not started: {}", e.toString());
            return ContentCheck.NONE;
        }
    }
}
