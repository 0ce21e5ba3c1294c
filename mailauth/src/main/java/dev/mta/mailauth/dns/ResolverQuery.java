package dev.mta.mailauth.dns;

import io.netty.channel.AddressedEnvelope;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one raw question through a {@link DnsNameResolver} and reads its answer, within a deadline over the whole
 * exchange (the UDP query and, for a truncated answer, the resolver's TCP retry). Every response is released here;
 * every failure is TEMPFAIL.
 */
final class ResolverQuery {
    private static final Logger log = LoggerFactory.getLogger(ResolverQuery.class);

    /** How long after the deadline a lookup ends anyway, its answer or cancellation never delivered. */
    private static final long BACKSTOP_MILLIS = 1000;

    private final DnsNameResolver resolver;
    private final long timeoutMillis;

    ResolverQuery(DnsNameResolver resolver, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
        }
        this.resolver = resolver;
        this.timeoutMillis = timeout.toMillis();
    }

    /** The answer to {@code name}'s {@code type} question; completes on the resolver's event loop, never fails. */
    <T> CompletableFuture<TimedResult<T>> send(String name, DnsRecordType type, RecordData.Decoder<T> decoder) {
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query;
        try {
            query = resolver.query(new DefaultDnsQuestion(name, type));
        } catch (RuntimeException e) {
            // A name the codec refuses (a label over 63 octets, say), or a closed resolver.
            log.debug("DNS {} {} not sent: {}", type, name, e.toString());
            return CompletableFuture.completedFuture(TimedResult.tempfail());
        }
        CompletableFuture<TimedResult<T>> result = new CompletableFuture<>();
        // The deadline cancels the query; the cancellation reaches the listener below on the event loop, so callers'
        // stages run there, not on the JDK's timer thread. Completing the deadline first cancels its timer task.
        CompletableFuture<Void> deadline = new CompletableFuture<Void>().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        deadline.whenComplete((ok, late) -> {
            if (late != null) {
                query.cancel(false);
            }
        });
        query.addListener(done -> {
            deadline.complete(null);
            result.complete(outcome(query, name, type, decoder));
        });
        // Should the event loop be gone (shutting down), no listener ever runs: the lookup still ends, a little later.
        return result.completeOnTimeout(TimedResult.tempfail(), timeoutMillis + BACKSTOP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static <T> TimedResult<T> outcome(Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> done,
                                              String name, DnsRecordType type, RecordData.Decoder<T> decoder) {
        if (!done.isSuccess()) {
            // Timeout, cancellation by our deadline, unreachable server: the resolver already released what it held.
            log.debug("DNS {} {} failed: {}", type, name, done.isCancelled() ? "timed out" : String.valueOf(done.cause()));
            return TimedResult.tempfail();
        }
        AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = done.getNow();
        try {
            return AnswerReader.read(envelope.content(), name, type, decoder);
        } catch (RuntimeException e) {
            log.debug("DNS {} {}: unreadable answer: {}", type, name, e.toString());
            return TimedResult.tempfail();
        } finally {
            envelope.release();
        }
    }
}
