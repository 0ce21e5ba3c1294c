package dev.mta.server.events;

import dev.mta.queue.events.MailEvent;
import dev.mta.queue.events.MailEvents;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Locale;

/**
 * The mail log: one line per event an operator greps for, written here and nowhere else, from the event stream.
 * Lines name the queue id first, as Postfix's do, so one message's story reads with one grep.
 */
public final class MailLog implements MailEvents {
    private static final Logger log = LoggerFactory.getLogger("dev.mta.mail");

    @Override
    public void connectionOpened(MailEvent.ConnectionOpened e) {
        log.debug("connect from {}", text(e.client()));
    }

    @Override
    public void connectionClosed(MailEvent.ConnectionClosed e) {
        log.debug("disconnect from {} after {} ms, {} message(s)", text(e.client()), e.durationMillis(), e.messages());
    }

    @Override
    public void messageQueued(MailEvent.MessageQueued e) {
        // A message made here (a bounce) has no client.
        log.info("{}: from=<{}> size={} nrcpt={} client={} queued", e.id(), e.sender().address(), e.size(),
                e.recipients(), e.client() == null ? "local" : text(e.client()));
    }

    @Override
    public void deliveryAttempted(MailEvent.DeliveryAttempted e) {
        // As Postfix: an expired recipient says so, with the last problem it met.
        String status = e.expired() ? "expired" : e.outcome().kind().name().toLowerCase(Locale.ROOT);
        long tenths = Math.max(0, e.delayMillis()) / 100;
        log.info("{}: to={} route={} delay={}.{}s status={} ({})", e.id(), e.recipient(), e.route(), tenths / 10,
                tenths % 10, status, e.outcome().detail());
    }

    @Override
    public void bounced(MailEvent.Bounced e) {
        log.info("{}: sender non-delivery notification: {}", e.id(), e.bounceId());
    }

    @Override
    public void messageRemoved(MailEvent.MessageRemoved e) {
        log.info("{}: removed{}", e.id(), e.reason() == MailEvent.MessageRemoved.Reason.DELETED ? " by the operator" : "");
    }

    /** The address as people write it ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
    private static String text(InetAddress a) {
        return a == null ? "unknown" : NetUtil.toAddressString(a);
    }
}
