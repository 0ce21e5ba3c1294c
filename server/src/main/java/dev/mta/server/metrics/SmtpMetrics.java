package dev.mta.server.metrics;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.server.smtp.SmtpObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SMTP listeners' meters: connections open and their results, commands by verb and reply class, messages
 * refused at their end. Every counter is registered when its listener is bound, so the event loops only increment.
 */
public final class SmtpMetrics implements SmtpObserver.Factory {
    private final MeterRegistry registry;
    private final Map<SmtpObserver.Listener, ListenerMeters> listeners = new EnumMap<>(SmtpObserver.Listener.class);

    public SmtpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public synchronized SmtpObserver of(SmtpObserver.Listener listener) {
        return listeners.computeIfAbsent(listener, l -> new ListenerMeters(registry, MetricLabels.name(l)));
    }

    /** One listener's meters, shared by its sessions (counters are thread-safe). */
    static final class ListenerMeters implements SmtpObserver {
        private final AtomicInteger open = new AtomicInteger();
        private final Counter[] results = new Counter[ConnectionResult.values().length];
        /** By verb ordinal, then reply class; verbs labelled {@code other} share their counters. */
        private final Counter[][] commands = new Counter[SmtpVerb.values().length][MetricLabels.REPLY_CLASSES.length];
        private final Counter[] rejected = new Counter[Rejection.values().length];

        ListenerMeters(MeterRegistry registry, String listener) {
            Gauge.builder("mta.smtp.connections.open", open, AtomicInteger::get)
                    .description("SMTP connections open now, refused ones until they close")
                    .tag("listener", listener).register(registry);
            for (ConnectionResult r : ConnectionResult.values()) {
                results[r.ordinal()] = Counter.builder("mta.smtp.connections")
                        .description("SMTP connections by what became of them: greeted (accepted) or refused, and why")
                        .tag("listener", listener).tag("result", MetricLabels.name(r)).register(registry);
            }
            for (SmtpVerb v : SmtpVerb.values()) {
                for (int c = 0; c < MetricLabels.REPLY_CLASSES.length; c++) {
                    commands[v.ordinal()][c] = Counter.builder("mta.smtp.commands")
                            .description("SMTP commands received, by verb and the class of their first reply")
                            .tag("listener", listener).tag("verb", MetricLabels.verb(v))
                            .tag("reply", MetricLabels.REPLY_CLASSES[c]).register(registry);
                }
            }
            for (Rejection r : Rejection.values()) {
                rejected[r.ordinal()] = Counter.builder("mta.smtp.messages.rejected")
                        .description("Messages whose content was sent but that were not queued, by reason")
                        .tag("listener", listener).tag("reason", MetricLabels.name(r)).register(registry);
            }
        }

        @Override
        public void connectionOpened() {
            open.incrementAndGet();
        }

        @Override
        public void connectionClosed() {
            open.decrementAndGet();
        }

        @Override
        public void connectionResult(ConnectionResult result) {
            results[result.ordinal()].increment();
        }

        @Override
        public void replied(SmtpVerb verb, int code) {
            commands[verb.ordinal()][MetricLabels.replyClassIndex(code)].increment();
        }

        @Override
        public void messageRejected(Rejection why) {
            rejected[why.ordinal()].increment();
        }
    }
}
