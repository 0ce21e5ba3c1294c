package dev.mta.relay;

import dev.mta.queue.events.MailEvents;

import dev.mta.queue.DeliveryQueue;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.queue.MessageStore;
import dev.mta.queue.model.Route;
import dev.mta.relay.bounce.BounceService;
import dev.mta.relay.bounce.StoreBounceQueue;
import dev.mta.relay.dispatch.Dispatcher;
import dev.mta.relay.dispatch.QueuedDelivery;
import dev.mta.relay.dispatch.WorkQueue;
import dev.mta.relay.loop.LoopDetector;
import dev.mta.relay.routing.Router;
import dev.mta.relay.routing.TransportMap;
import dev.mta.relay.routing.TransportRoutes;
import dev.mta.relay.transport.DiscardTransport;
import dev.mta.relay.transport.Transport;
import dev.mta.relay.transport.TransportSelector;
import dev.mta.relay.transport.local.LocalTransport;
import dev.mta.mailbox.maildir.MaildirWriter;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.HopHealth;
import dev.mta.relay.transport.smtp.OutboundSecurity;
import dev.mta.relay.transport.smtp.SmtpConnector;
import dev.mta.relay.transport.smtp.SmtpTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The relay assembled from its settings: DNS resolver, transports, bounce service and dispatcher, started. */
public final class RelayAssembly implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayAssembly.class);

    /**
     * The network the relay shares with the server: its event loops and the channel types that suit them.
     *
     * @param loops      the event loops outbound connections and DNS queries run on
     * @param tcp        the client socket channel type for those loops
     * @param udp        the datagram channel type for DNS
     * @param listeners  the SMTP addresses we accept on: a next hop there is ourselves (loop detection)
     */
    public record Network(EventLoopGroup loops, Class<? extends SocketChannel> tcp,
                          Class<? extends DatagramChannel> udp, List<InetSocketAddress> listeners) {
        public Network {
            listeners = List.copyOf(listeners);
        }

        /** With one listen address. */
        public Network(EventLoopGroup loops, Class<? extends SocketChannel> tcp, Class<? extends DatagramChannel> udp,
                       InetSocketAddress listening) {
            this(loops, tcp, udp, List.of(listening));
        }
    }

    private final DnsNameResolver dns;
    private final TransportSelector transports;
    private final Dispatcher dispatcher;
    private final ExecutorService diskReaders;
    private final SmtpTransport smtp;

    private RelayAssembly(DnsNameResolver dns, TransportSelector transports, Dispatcher dispatcher,
                          ExecutorService diskReaders, SmtpTransport smtp) {
        this.dns = dns;
        this.transports = transports;
        this.dispatcher = dispatcher;
        this.diskReaders = diskReaders;
        this.smtp = smtp;
    }

    /** The SMTP transport: its connection attempts and its table of down next hops, for metrics and tests. */
    public SmtpTransport smtp() {
        return smtp;
    }

    /**
     * Builds and starts the relay. {@code hostname} is our name (EHLO, DSNs, loops); {@code fatal} hears when the
     * dispatcher cannot go on.
     */
    public static RelayAssembly start(RelaySettings s, String hostname, DeliveryQueue queue, MessageStore store,
                                      Network net, FatalErrorHandler fatal, MailEvents events) {
        return start(s, TransportRoutes.of(TransportMap.parse(s.transportMap())), hostname, queue, store, net, fatal,
                events);
    }

    /**
     * As above, routing by the transport map in force in {@code routes} (which a reload may replace) instead of the
     * settings' own.
     */
    public static RelayAssembly start(RelaySettings s, TransportRoutes routes, String hostname, DeliveryQueue queue,
                                      MessageStore store, Network net, FatalErrorHandler fatal, MailEvents events) {
        return start(s, routes, hostname, queue, store, net, fatal, events, null);
    }

    /** As above, with local delivery ({@code local:} routes) when {@code local} is not null. */
    public static RelayAssembly start(RelaySettings s, TransportRoutes routes, String hostname, DeliveryQueue queue,
                                      MessageStore store, Network net, FatalErrorHandler fatal, MailEvents events,
                                      LocalDelivery local) {
        warnAboutShortFinalReplyTimeout(s.timeouts());
        DnsNameResolver dns = new DnsNameResolverBuilder(net.loops().next())
                .datagramChannelType(net.udp())
                .queryTimeoutMillis(5000)
                .nameServerProvider(s.dnsServer() != null
                        ? new SingletonDnsServerAddressStreamProvider(s.dnsServer())
                        : DnsServerAddressStreamProviders.platformDefault())
                .build();
        AtomicInteger n = new AtomicInteger();
        ExecutorService diskReaders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relay-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LoopDetector loops = new LoopDetector(hostname, s.maxReceived(), LoopDetector.listeningOn(net.listeners()));
        Router router = new Router(routes, dns, s.smtpPort());
        OutboundSecurity security = s.outboundSecurity();
        // verify trusts the configured CAs only, or (none configured) the JDK's default trust store.
        SmtpConnector connector = new SmtpConnector(net.loops(), net.tcp(), hostname, s.timeouts(),
                SmtpConnector.opportunisticTls(),
                SmtpConnector.verifyingTls(s.tlsCa() == null ? null : s.tlsCa().trustManagers()));
        // A next hop that answers again: the mail deferred while it was down is due now.
        SmtpTransport smtp = new SmtpTransport(router, connector, loops, diskReaders, s.idleTimeout(),
                new HopHealth(s.hopBackoff()), queue::makeDue, security);
        Map<String, Transport> byName = new java.util.HashMap<>(Map.of(Route.SMTP, smtp,
                DiscardTransport.NAME, new DiscardTransport()));
        if (local != null) {
            // Mailbox writes and alias expansions block on the disk: the relay's reader threads, never a loop.
            byName.put(LocalTransport.NAME, new LocalTransport(local.directory(),
                    new MaildirWriter(local.mailRoot(), hostname), new StoreForwarder(store, hostname, events),
                    local.quota(), local.home(), diskReaders));
        }
        TransportSelector transports = TransportSelector.of(byName);
        BounceService<QueuedDelivery> bounces = new BounceService<>(hostname, s.bounces(),
                new StoreBounceQueue(store, events), diskReaders, events);
        Dispatcher dispatcher = new Dispatcher(new Dispatcher.Limits(s.maxConnections(), s.maxPerDestination()),
                WorkQueue.of(queue), transports, bounces, loops, diskReaders, fatal, events);
        dispatcher.start();
        return new RelayAssembly(dns, transports, dispatcher, diskReaders, smtp);
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

    /** Lets deliveries under way finish (up to 10 s), closes idle connections, then stops. */
    @Override
    public void close() {
        dispatcher.close(10);
        transports.close();
        diskReaders.shutdown();
        dns.close();
    }
}
