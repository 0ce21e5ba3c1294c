package dev.mta.server.events;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.queue.events.CommandCounts;
import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The mail log: one line per event an operator greps for, written here and nowhere else, from the event stream,
 * in Postfix's words so that its habits and tools (grep by queue id, {@code pflogsumm}) carry over. Lines about a
 * message start with its queue id, so one message's story reads with one grep. No reverse DNS lookup is made, so
 * a client is always {@code unknown[address]}, as Postfix names a client without a name.
 *
 * <p>Events arrive on event loops: every line is built only when the logger {@code dev.mta.mail} is enabled for
 * INFO, and handed to the asynchronous appender, which never blocks (see {@code CountingAsyncAppender}).
 */
public final class MailLog implements MailEvents {
    /** The logger's name: {@code <logger name="dev.mta.mail" level="WARN"/>} silences the mail log. */
    public static final String LOGGER = "dev.mta.mail";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    /** The order of Postfix's disconnect line; verbs it does not know come before {@code quit}, unknown ones last. */
    private static final SmtpVerb[] COMMAND_ORDER = {
        SmtpVerb.HELO, SmtpVerb.EHLO, SmtpVerb.STARTTLS, SmtpVerb.AUTH, SmtpVerb.MAIL, SmtpVerb.RCPT, SmtpVerb.DATA,
        SmtpVerb.BDAT, SmtpVerb.RSET, SmtpVerb.NOOP, SmtpVerb.VRFY, SmtpVerb.EXPN, SmtpVerb.HELP, SmtpVerb.ETRN,
        SmtpVerb.ATRN, SmtpVerb.TURN, SmtpVerb.SEND, SmtpVerb.SOML, SmtpVerb.SAML, SmtpVerb.QUIT, SmtpVerb.HTTP_METHOD, SmtpVerb.UNKNOWN,
    };

    @Override
    public void connectionOpened(MailEvent.ConnectionOpened e) {
        if (log.isInfoEnabled()) {
            log.info("connect from {}", client(e.client()));
        }
    }

    @Override
    public void connectionClosed(MailEvent.ConnectionClosed e) {
        if (log.isInfoEnabled()) {
            log.info("disconnect from {} {}", client(e.client()), commands(e.commands()));
        }
    }

    @Override
    public void messageQueued(MailEvent.MessageQueued e) {
        if (!log.isInfoEnabled()) {
            return;
        }
        // Postfix's smtpd, cleanup and qmgr lines, in their order. A message made here (a bounce) has no client.
        if (e.client() != null) {
            log.info("{}: client={}", e.id(), client(e.client()));
        }
        log.info("{}: message-id={}", e.id(), e.messageId() == null ? "<>" : e.messageId());
        log.info("{}: from=<{}>, size={}, nrcpt={} (queue active)", e.id(), e.sender().address(), e.size(),
                e.recipients());
    }

    @Override
    public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Outcome o = e.outcome();
        MailEvent.Delays d = e.delays();
        log.info("{}: to=<{}>, relay={}, delay={}, delays={}/{}/{}/{}, dsn={}, status={} ({})", e.id(),
                e.recipient().address(), relay(o.remoteMta(), e.route()), seconds(e.delayMillis()), seconds(d.receiptMillis()),
                seconds(d.queueMillis()), seconds(d.connectMillis()), seconds(d.transmitMillis()), o.status(),
                status(e), o.text());
    }

    @Override
    public void bounced(MailEvent.Bounced e) {
        log.info("{}: sender non-delivery notification: {}", e.id(), e.bounceId());
    }

    @Override
    public void messageRemoved(MailEvent.MessageRemoved e) {
        boolean deleted = e.reason() == MailEvent.MessageRemoved.Reason.DELETED;
        log.info("{}: removed{}", e.id(), deleted ? " by the operator" : "");
    }

    /** Postfix's status words: sent, deferred, bounced; expired for a recipient failed without a try at the end. */
    static String status(MailEvent.DeliveryAttempted e) {
        if (e.expired()) {
            return "expired";
        }
        switch (e.outcome().kind()) {
            case DELIVERED:
                return "sent";
            case DEFERRED:
                return "deferred";
            default:
                return "bounced";
        }
    }

    /** {@code unknown[192.0.2.1]}: no reverse lookup is made (IPv6 written short, as {@code unknown[2001:db8::1]}). */
    static String client(InetAddress a) {
        return "unknown[" + (a == null ? "unknown" : NetUtil.toAddressString(a)) + "]";
    }

    /** {@code mx.example.net[198.51.100.7]:25}, or {@code none} when no next hop was reached. */
    /** The next hop that answered; with none, the transport that is no next hop ({@code local}, {@code discard}), or none. */
    static String relay(RemoteMta remote, dev.mta.queue.model.Route route) {
        if (remote == null && route != null && !route.transport().equals(dev.mta.queue.model.Route.SMTP)) {
            return route.transport();
        }
        return relay(remote);
    }

    static String relay(RemoteMta remote) {
        if (remote == null) {
            return "none";
        }
        InetSocketAddress a = remote.address();
        String ip = a.getAddress() == null ? a.getHostString() : NetUtil.toAddressString(a.getAddress());
        return remote.host() + "[" + ip + "]:" + a.getPort();
    }

    /** Postfix's disconnect counts: {@code ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4} (ok/total where they differ). */
    static String commands(CommandCounts c) {
        StringBuilder sb = new StringBuilder(64);
        for (SmtpVerb v : COMMAND_ORDER) {
            int total = c.total(v);
            if (total > 0) {
                sb.append(v.name().toLowerCase(Locale.ROOT)).append('=');
                count(sb, c.ok(v), total).append(' ');
            }
        }
        return count(sb.append("commands="), c.ok(), c.total()).toString();
    }

    private static StringBuilder count(StringBuilder sb, int ok, int total) {
        sb.append(ok);
        return ok == total ? sb : sb.append('/').append(total);
    }

    /**
     * Seconds as Postfix writes delays: two decimals below a second, one below ten, whole seconds above (each cut,
     * not rounded, trailing zeros dropped): {@code 0}, {@code 0.04}, {@code 0.1}, {@code 1.2}, {@code 72139}.
     */
    static String seconds(long millis) {
        long ms = Math.max(0, millis);
        if (ms >= 10_000) {
            return Long.toString(ms / 1000);
        }
        if (ms >= 1000) {
            long tenths = ms / 100;
            return tenths % 10 == 0 ? Long.toString(tenths / 10) : tenths / 10 + "." + tenths % 10;
        }
        long hundredths = ms / 10;
        if (hundredths == 0) {
            return "0";
        }
        return hundredths % 10 == 0 ? "0." + hundredths / 10 : hundredths < 10 ? "0.0" + hundredths : "0." + hundredths;
    }
}
