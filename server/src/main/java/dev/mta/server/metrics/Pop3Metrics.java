package dev.mta.server.metrics;

import dev.mta.server.pop3.Pop3Observer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;


/**
 * The POP3 server's counters, registered up front so a session's event allocates nothing:
 * {@code mta_pop3_sessions_total}, {@code mta_pop3_logins_total{result}}, {@code mta_pop3_messages_retrieved_total}
 * and {@code mta_pop3_messages_deleted_total}.
 */
public final class Pop3Metrics implements Pop3Observer {
    private final Counter sessions;
    private final Counter[] logins = new Counter[LoginResult.values().length];
    private final Counter retrieved;
    private final Counter deleted;

    public Pop3Metrics(MeterRegistry registry) {
        sessions = Counter.builder("mta.pop3.sessions").description("POP3 connections greeted").register(registry);
        for (LoginResult r : LoginResult.values()) {
            logins[r.ordinal()] = Counter.builder("mta.pop3.logins")
                    .description("POP3 logins (PASS or AUTH) by how they ended")
                    .tag("result", MetricLabels.name(r)).register(registry);
        }
        retrieved = Counter.builder("mta.pop3.messages.retrieved").description("Messages sent whole by POP3 RETR")
                .register(registry);
        deleted = Counter.builder("mta.pop3.messages.deleted")
                .description("Messages removed by POP3 DELE and QUIT (the UPDATE state)").register(registry);
    }

    @Override
    public void sessionOpened() {
        sessions.increment();
    }

    @Override
    public void login(LoginResult result) {
        logins[result.ordinal()].increment();
    }

    @Override
    public void messageRetrieved() {
        retrieved.increment();
    }

    @Override
    public void messagesDeleted(int count) {
        if (count > 0) {
            deleted.increment(count);
        }
    }
}
