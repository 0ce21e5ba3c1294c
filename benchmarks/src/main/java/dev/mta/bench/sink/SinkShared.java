package dev.mta.bench.sink;

import dev.mta.protocol.reply.SmtpReply;
import io.netty.handler.ssl.SslContext;

import java.util.concurrent.atomic.AtomicLong;

/** What every session of one sink shares: its settings, counters, received ids, stall and TLS context. */
final class SinkShared {
    final SinkSettings settings;
    final SinkCounters counters = new SinkCounters();
    final ReceivedIds ids = new ReceivedIds();
    final StallClock stall;
    /** Null when STARTTLS is not offered. */
    final SslContext tls;
    final SmtpReply ehlo;
    final SmtpReply ehloAfterTls;
    private final AtomicLong connectionNumbers = new AtomicLong();

    SinkShared(SinkSettings settings, SslContext tls) {
        this.settings = settings;
        this.tls = tls;
        this.stall = new StallClock(settings.stallAfter(), settings.stallForMs());
        this.ehlo = SinkReplies.ehlo(settings.maxSize(), tls != null);
        this.ehloAfterTls = SinkReplies.ehlo(settings.maxSize(), false);
    }

    FaultDice newDice() {
        return new FaultDice(settings, connectionNumbers.getAndIncrement());
    }
}
