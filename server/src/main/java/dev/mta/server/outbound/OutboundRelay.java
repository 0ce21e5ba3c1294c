package dev.mta.server.outbound;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.model.Route;
import dev.mta.relay.bounce.BounceService;
import dev.mta.relay.bounce.StoreBounceQueue;
import dev.mta.relay.dispatch.Dispatcher;
import dev.mta.relay.dispatch.QueuedDelivery;
import dev.mta.relay.dispatch.WorkQueue;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.transport.TransportSelector;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.SmtpConnector;
import dev.mta.relay.transport.smtp.SmtpTransport;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.server.config.RelaySettings;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.net.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The relay assembled from the configuration: DNS resolver, SMTP connector and workers on the shared event loops. */
public final class OutboundRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboundRelay.class);

    private final DnsNameResolver dns;
    private final TransportSelector transports;
    private final Dispatcher dispatcher;
    private final ExecutorService diskReaders;

    private OutboundRelay(DnsNameResolver dns, TransportSelector transports, Dispatcher dispatcher,
                          ExecutorService diskReaders) {
        this.dns = dns;
        this.transports = transports;
        this.dispatcher = dispatcher;
        this.diskReaders = diskReaders;
    }

    /** Builds and starts the relay; {@code listening} is the SMTP address we accept on (for loop detection). */
    public static OutboundRelay start(ServerConfig config, DurableQueue queue, Transport transport,
                                      EventLoopGroup group, InetSocketAddress listening, FatalErrorHandler fatal) {
        RelaySettings s = config.relay();
        warnAboutShortFinalReplyTimeout(s.timeouts());
        DnsNameResolverBuilder b = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(transport.datagramChannel())
                .queryTimeoutMillis(5000)
                .nameServerProvider(s.dnsServer() != null
                        ? new SingletonDnsServerAddressStreamProvider(s.dnsServer())
                        : DnsServerAddressStreamProviders.platformDefault());
        DnsNameResolver dns = b.build();
        AtomicInteger n = new AtomicInteger();
        ExecutorService diskReaders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relay-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LoopDetector loops = new LoopDetector(config.hostname(), s.maxReceived(), LoopDetector.listeningOn(listening));
        Router router = new Router(TransportMap.parse(s.transportMap()), dns, s.smtpPort());
        SmtpConnector connector = new SmtpConnector(group, transport.clientChannel(), config.hostname(),
                s.timeouts(), SmtpConnector.opportunisticTls());
        TransportSelector transports = TransportSelector.of(Map.of(Route.SMTP,
                new SmtpTransport(router, connector, loops, diskReaders, s.idleTimeout())));
        BounceService<QueuedDelivery> bounces = new BounceService<>(config.hostname(), new StoreBounceQueue(queue));
        Dispatcher dispatcher = new Dispatcher(new Dispatcher.Limits(s.maxConnections(), s.maxPerDestination()),
                WorkQueue.of(queue), transports, bounces, loops, diskReaders, fatal);
        dispatcher.start();
        return new OutboundRelay(dns, transports, dispatcher, diskReaders);
    }

    /**
     * A next hop may take minutes to process a message after the final dot; giving up sooner than RFC 5321 says
     * means sending again what it may already have delivered.
     */
    private static void warnAboutShortFinalReplyTimeout(ClientTimeouts t) {
        if (t.dataDone().compareTo(ClientTimeouts.RFC_5321.dataDone()) < 0) {
            log.warn("--relay-data-done-timeout is {} s, below the {} s of RFC 5321 4.5.3.2.6: a next hop still busy"
                    + " with a message may be given up on, and the message sent again and delivered twice",
                    t.dataDone().toSeconds(), ClientTimeouts.RFC_5321.dataDone().toSeconds());
        }
    }

    /** Lets deliveries under way finish (bounded), then stops. */
    @Override
    public void close() {
        dispatcher.close(10);
        transports.close();
        diskReaders.shutdown();
        dns.close();
    }
}
