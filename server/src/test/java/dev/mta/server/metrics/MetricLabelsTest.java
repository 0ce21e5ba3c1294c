package dev.mta.server.metrics;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.queue.events.MailEvent;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.Route;
import dev.mta.server.smtp.SmtpObserver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Label values come from fixed lists: unknown verbs are "other", codes their class, transports a known name. */
class MetricLabelsTest {
    @Test
    void verbsKeepTheirNameOrBecomeOther() {
        assertEquals("mail", MetricLabels.verb(SmtpVerb.MAIL));
        assertEquals("starttls", MetricLabels.verb(SmtpVerb.STARTTLS));
        assertEquals("bdat", MetricLabels.verb(SmtpVerb.BDAT));
        for (SmtpVerb v : List.of(SmtpVerb.UNKNOWN, SmtpVerb.TURN, SmtpVerb.SEND, SmtpVerb.SOML, SmtpVerb.SAML,
                SmtpVerb.ETRN, SmtpVerb.ATRN)) {
            assertEquals("other", MetricLabels.verb(v), v.name());
        }
        assertEquals("other", MetricLabels.verb(null));
        Set<String> all = new HashSet<>();
        for (SmtpVerb v : SmtpVerb.values()) {
            all.add(MetricLabels.verb(v));
        }
        assertEquals(15, all.size(), "fourteen verbs of their own and other: " + all);
    }

    @Test
    void replyCodesBecomeTheirClass() {
        assertEquals("2xx", MetricLabels.replyClass(250));
        assertEquals("2xx", MetricLabels.replyClass(221));
        assertEquals("3xx", MetricLabels.replyClass(354));
        assertEquals("3xx", MetricLabels.replyClass(334));
        assertEquals("4xx", MetricLabels.replyClass(421));
        assertEquals("5xx", MetricLabels.replyClass(554));
        assertEquals("5xx", MetricLabels.replyClass(0), "out of range counts as a failure");
        assertEquals("5xx", MetricLabels.replyClass(999));
        assertEquals("5xx", MetricLabels.replyClass(199));
    }

    @Test
    void resultsAndTransports() {
        assertEquals("delivered", MetricLabels.RESULTS[MetricLabels.resultIndex(Outcome.Kind.DELIVERED, false)]);
        assertEquals("deferred", MetricLabels.RESULTS[MetricLabels.resultIndex(Outcome.Kind.DEFERRED, false)]);
        assertEquals("bounced", MetricLabels.RESULTS[MetricLabels.resultIndex(Outcome.Kind.FAILED, false)]);
        assertEquals("bounced", MetricLabels.RESULTS[MetricLabels.resultIndex(Outcome.Kind.FAILED, true)],
                "an expired recipient fails, and bounces");
        assertEquals("smtp", MetricLabels.TRANSPORTS[MetricLabels.transportIndex("smtp")]);
        assertEquals("discard", MetricLabels.TRANSPORTS[MetricLabels.transportIndex("discard")]);
        assertEquals("local", MetricLabels.TRANSPORTS[MetricLabels.transportIndex("local")]);
        assertEquals("other", MetricLabels.TRANSPORTS[MetricLabels.transportIndex("lmtp")]);
        assertEquals("other", MetricLabels.TRANSPORTS[MetricLabels.transportIndex("SMTP")]);
        assertEquals("refused_client_limit", MetricLabels.name(SmtpObserver.ConnectionResult.REFUSED_CLIENT_LIMIT));
    }

    @Test
    void aListenersCountersAreAllRegisteredUpFrontAndCommandsCountByVerbAndClass() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SmtpObserver smtp = new SmtpMetrics(registry).of(SmtpObserver.Listener.SMTP);
        int before = registry.getMeters().size();
        assertEquals(1 + 6 + 15 * 4 + 7, before, "open, results, verbs x classes, rejections");
        smtp.replied(SmtpVerb.UNKNOWN, 500);
        smtp.replied(SmtpVerb.TURN, 502);
        smtp.replied(SmtpVerb.RCPT, 554);
        smtp.replied(SmtpVerb.RCPT, 250);
        smtp.connectionOpened();
        smtp.connectionResult(SmtpObserver.ConnectionResult.EARLY_TALKER);
        smtp.messageRejected(SmtpObserver.Rejection.BARE_NEWLINE);
        assertEquals(before, registry.getMeters().size(), "nothing registered after the start");
        assertEquals(2.0, registry.get("mta.smtp.commands").tags("verb", "other", "reply", "5xx").counter().count());
        assertEquals(1.0, registry.get("mta.smtp.commands").tags("verb", "rcpt", "reply", "5xx").counter().count());
        assertEquals(1.0, registry.get("mta.smtp.commands").tags("verb", "rcpt", "reply", "2xx").counter().count());
        assertEquals(1.0, registry.get("mta.smtp.connections.open").gauge().value());
        assertEquals(1.0, registry.get("mta.smtp.connections").tags("result", "early_talker").counter().count());
        assertEquals(1.0, registry.get("mta.smtp.messages.rejected").tags("reason", "bare_newline").counter().count());
        Set<String> listeners = registry.getMeters().stream().map(m -> m.getId().getTag("listener"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("smtp"), listeners);
    }

    @Test
    void deliveryEventsCountByResultAndTransportWithoutAddresses() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MailMetrics mail = new MailMetrics(registry);
        int before = registry.getMeters().size();
        MailPath rcpt = new MailPath("bob", "example.net", false);
        mail.deliveryAttempted(new MailEvent.DeliveryAttempted("1", rcpt, Route.smtp("example.net"),
                Outcome.delivered("250 ok"), 1500, false));
        mail.deliveryAttempted(new MailEvent.DeliveryAttempted("1", rcpt, new Route("discard", "x"),
                Outcome.deferred("451 later"), 10, false));
        mail.deliveryAttempted(new MailEvent.DeliveryAttempted("1", rcpt, new Route("weird", "x"),
                Outcome.failed("550 no"), 10, false));
        mail.bounced(new MailEvent.Bounced("1", "2", 1));
        assertEquals(before, registry.getMeters().size());
        assertEquals(1.0, registry.get("mta.delivery.attempts").tags("result", "delivered", "transport", "smtp")
                .counter().count());
        assertEquals(1.0, registry.get("mta.delivery.attempts").tags("result", "deferred", "transport", "discard")
                .counter().count());
        assertEquals(1.0, registry.get("mta.delivery.attempts").tags("result", "bounced", "transport", "other")
                .counter().count());
        assertEquals(1, registry.get("mta.delivery.delay").timer().count(), "only deliveries are timed");
        assertEquals(1.5, registry.get("mta.delivery.delay").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1.0, registry.get("mta.dsn.generated").counter().count());
        for (Meter m : registry.getMeters()) {
            for (io.micrometer.core.instrument.Tag t : m.getId().getTags()) {
                assertTrue(!t.getValue().contains("example") && !t.getValue().contains("@"), m.getId().toString());
            }
        }
    }
}
