package dev.mta.relay.verify;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.RelayAssembly;
import dev.mta.relay.RelaySettings;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.NextHop;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.RoutingException;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.routing.TransportRoutes;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.SmtpClientConnection;
import dev.mta.relay.transport.smtp.SmtpConnector;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Call-ahead recipient verification: asks the recipient's next hop, routed as delivery routes it (transport map,
 * else MX), with {@code MAIL FROM:<verify-sender>}, {@code RCPT TO:<recipient>} and {@code RSET}, and keeps the
 * connection for the next probe to that hop. Answers are cached ({@link VerificationCache}); concurrent lookups of
 * one address share one probe. Everything runs on the event loops; nothing blocks.
 */
public final class CallAheadVerifier implements RecipientVerifier, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallAheadVerifier.class);
    /** A probe waits at most this long at each step, whatever the relay's (long) transaction timeouts. */
    static final Duration MAX_STEP = Duration.ofSeconds(30);
    /** Probe connections kept idle at most this long. */
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final Router router;
    private final SmtpConnector connector;
    private final LoopDetector loops;
    private final String mailFrom;
    private final VerificationCache cache;
    private final Map<InetSocketAddress, ArrayDeque<Idle>> idle = new HashMap<>();
    private final AutoCloseable resources;
    private ScheduledFuture<?> sweeper;

    private record Idle(SmtpClientConnection connection, long since) {
    }

    /**
     * @param connector opens probe connections (its timeouts bound each step)
     * @param resources closed with the verifier (its DNS resolver), or null
     */
    public CallAheadVerifier(VerifySettings settings, Router router, SmtpConnector connector, LoopDetector loops,
                             AutoCloseable resources) {
        this.router = router;
        this.connector = connector;
        this.loops = loops;
        this.mailFrom = "MAIL FROM:<" + settings.sender() + ">";
        this.cache = new VerificationCache(settings.positiveTtl(), settings.negativeTtl(), settings.maxEntries(),
                System::nanoTime);
        this.resources = resources;
    }

    /**
     * A verifier on the relay's network, routing as the relay does (its transport map, DNS server and port), with
     * a DNS resolver and connections of its own (so it works with the relay off, too).
     */
    public static CallAheadVerifier start(VerifySettings settings, RelaySettings relay, String hostname,
                                          RelayAssembly.Network net) {
        return start(settings, relay, TransportRoutes.of(TransportMap.parse(relay.transportMap())), hostname, net);
    }

    /** As above, routing by the transport map in force in {@code routes}, the relay's own (a reload may replace it). */
    public static CallAheadVerifier start(VerifySettings settings, RelaySettings relay, TransportRoutes routes,
                                          String hostname, RelayAssembly.Network net) {
        DnsNameResolver dns = new DnsNameResolverBuilder(net.loops().next())
                .datagramChannelType(net.udp())
                .queryTimeoutMillis(5000)
                .nameServerProvider(relay.dnsServer() != null
                        ? new SingletonDnsServerAddressStreamProvider(relay.dnsServer())
                        : DnsServerAddressStreamProviders.platformDefault())
                .build();
        ClientTimeouts t = relay.timeouts();
        ClientTimeouts probe = new ClientTimeouts(shorter(t.connect()), shorter(t.greeting()), shorter(t.command()),
                t.dataInit(), t.dataBlock(), t.dataDone());
        // No STARTTLS for a probe: no content is sent, and a handshake would double its cost.
        SmtpConnector connector = new SmtpConnector(net.loops(), net.tcp(), hostname, probe, null);
        Router router = new Router(routes, dns, relay.smtpPort());
        LoopDetector loops = new LoopDetector(hostname, relay.maxReceived(), LoopDetector.listeningOn(net.listeners()));
        CallAheadVerifier v = new CallAheadVerifier(settings, router, connector, loops, dns::close);
        v.sweeper = net.loops().next().scheduleAtFixedRate(v::closeIdle, 1, 1, TimeUnit.SECONDS);
        return v;
    }

    private static Duration shorter(Duration d) {
        return d.compareTo(MAX_STEP) < 0 ? d : MAX_STEP;
    }

    @Override
    public CompletableFuture<Verification> verify(MailPath recipient) {
        return cache.get(recipient.address(), () -> probe(recipient));
    }

    /** Routes and asks; a routing failure is an answer too (5xx from DNS: rejected, else temporary). */
    CompletableFuture<Verification> probe(MailPath recipient) {
        return router.route(recipient.domain())
                .thenCompose(hops -> tryHops(recipient, hops, 0, null))
                .exceptionally(e -> {
                    Throwable cause = unwrap(e);
                    if (cause instanceof RoutingException) {
                        Outcome o = ((RoutingException) cause).outcome();
                        return new Verification(o.kind() == Outcome.Kind.FAILED ? Verification.Kind.REJECTED
                                : Verification.Kind.TEMPORARY, 0, o.text());
                    }
                    return Verification.temporary("verification failed: " + cause);
                });
    }

    /** The hops in order until one answers RCPT; connection trouble moves on to the next. */
    private CompletableFuture<Verification> tryHops(MailPath recipient, List<NextHop> hops, int i, String lastError) {
        if (i >= hops.size()) {
            return CompletableFuture.completedFuture(Verification.temporary(lastError != null ? lastError : "no next hop"));
        }
        NextHop hop = hops.get(i);
        if (loops.loopsBack(recipient.domainKey(), hop.address(), hop.toString()) != null) {
            log.warn("call-ahead for {}: next hop {} is this server; fix the transport map", recipient, hop);
            return CompletableFuture.completedFuture(Verification.temporary("next hop " + hop + " is this server"));
        }
        return attempt(hop, recipient)
                .handle((v, e) -> e == null ? CompletableFuture.completedFuture(v)
                        : tryHops(recipient, hops, i + 1, "probe to " + hop + ": " + describe(unwrap(e))))
                .thenCompose(f -> f);
    }

    /**
     * One probe to {@code hop}: over a kept connection when there is one (and, should that one have gone stale,
     * once more over a new one), else over a new one.
     */
    private CompletableFuture<Verification> attempt(NextHop hop, MailPath recipient) {
        SmtpClientConnection kept = take(hop.address());
        if (kept == null) {
            return fresh(hop, recipient);
        }
        return ask(kept, hop, recipient)
                .handle((v, e) -> e == null ? CompletableFuture.completedFuture(v) : fresh(hop, recipient))
                .thenCompose(f -> f);
    }

    private CompletableFuture<Verification> fresh(NextHop hop, MailPath recipient) {
        return connector.connect(hop.address(), hop.host(), false).thenCompose(c -> ask(c, hop, recipient));
    }

    /** MAIL, RCPT, RSET on {@code c} (pipelined when it may be); the connection is kept when RSET leaves it clean. */
    private CompletableFuture<Verification> ask(SmtpClientConnection c, NextHop hop, MailPath recipient) {
        Duration t = c.timeouts().command();
        return CompletableFuture.supplyAsync(() -> {
            // An SMTPUTF8 recipient is asked about as it would be delivered: with SMTPUTF8 when the hop offers it.
            boolean utf8 = recipient.isUtf8() && c.capabilities().smtpUtf8();
            CompletableFuture<SmtpResponse> mail = c.writeLine(utf8 ? mailFrom + " SMTPUTF8" : mailFrom, t);
            if (!c.capabilities().pipelining()) {
                c.flush();
                return mail.thenCompose(m -> m.code() / 100 == 2 ? rcpt(c, recipient, t)
                        .thenApply(r -> new SmtpResponse[]{m, r}) : CompletableFuture.completedFuture(new SmtpResponse[]{m, null}));
            }
            CompletableFuture<SmtpResponse> rcpt = rcpt(c, recipient, t);
            return mail.thenCombine(rcpt, (m, r) -> new SmtpResponse[]{m, r});
        }, c.eventLoop()).thenCompose(f -> f).whenComplete((r, e) -> {
            if (e != null) {
                c.close(); // a timeout has closed it already; anything else leaves it in an unknown state
            }
        }).thenApplyAsync(replies -> {
            SmtpResponse m = replies[0];
            SmtpResponse r = replies[1];
            reset(c, hop);
            if (m.code() / 100 != 2) {
                // Our probe's sender is refused: nothing is learned of the recipient.
                return Verification.temporary(hop + " refused the probe's sender: " + text(m));
            }
            return Verification.ofReply(r.code(), text(r));
        }, c.eventLoop());
    }

    private static CompletableFuture<SmtpResponse> rcpt(SmtpClientConnection c, MailPath recipient, Duration t) {
        CompletableFuture<SmtpResponse> r = c.writeLine("RCPT TO:" + recipient, t);
        c.flush();
        return r;
    }

    /**
     * RSET, and the connection is kept for the next probe at once: that one's commands follow the RSET and their
     * replies come in order. A RSET that is not answered 250 closes it (a probe then on it tries a new one).
     * Event loop of {@code c}.
     */
    private void reset(SmtpClientConnection c, NextHop hop) {
        c.command(SmtpRequests.rset(), c.timeouts().command()).whenComplete((r, e) -> {
            if (e != null || r.code() != 250) {
                c.close();
            }
        });
        if (c.isActive()) {
            give(hop.address(), c);
        }
    }

    private synchronized SmtpClientConnection take(InetSocketAddress hop) {
        ArrayDeque<Idle> q = idle.get(hop);
        while (q != null && !q.isEmpty()) {
            Idle i = q.pollLast();
            if (i.connection().isActive()) {
                return i.connection();
            }
        }
        return null;
    }

    private synchronized void give(InetSocketAddress hop, SmtpClientConnection c) {
        idle.computeIfAbsent(hop, h -> new ArrayDeque<>()).addLast(new Idle(c, System.nanoTime()));
    }

    /** Says QUIT to probe connections idle too long. */
    void closeIdle() {
        closeIdle(System.nanoTime() - IDLE.toNanos());
    }

    private void closeIdle(long before) {
        List<SmtpClientConnection> stale = new ArrayList<>();
        synchronized (this) {
            for (var it = idle.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Idle> q = it.next();
                while (!q.isEmpty() && (q.peekFirst().since() - before < 0 || !q.peekFirst().connection().isActive())) {
                    stale.add(q.pollFirst().connection());
                }
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
        stale.forEach(SmtpClientConnection::quit);
    }

    private static String text(SmtpResponse r) {
        StringBuilder sb = new StringBuilder();
        for (CharSequence d : r.details()) {
            sb.append(sb.length() == 0 ? "" : " ").append(d);
        }
        return sb.toString();
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        closeAllIdle();
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                log.debug("closing the verifier's resolver: {}", e.toString());
            }
        }
    }

    private void closeAllIdle() {
        List<SmtpClientConnection> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(q -> q.forEach(i -> all.add(i.connection())));
            idle.clear();
        }
        all.forEach(SmtpClientConnection::quit);
    }
}
