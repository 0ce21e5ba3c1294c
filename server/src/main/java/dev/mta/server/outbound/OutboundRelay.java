package dev.mta.server.outbound;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.relay.transport.smtp.ClientTimeouts;
import dev.mta.relay.transport.smtp.SmtpConnector;
import dev.mta.relay.delivery.RelayConfig;
import dev.mta.relay.delivery.RelayService;
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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** The relay assembled from the configuration: DNS resolver, SMTP connector and workers on the shared event loops. */
public final class OutboundRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboundRelay.class);

    private final DnsNameResolver dns;
    private final RelayService service;

    private OutboundRelay(DnsNameResolver dns, RelayService service) {
        this.dns = dns;
        this.service = service;
    }

    /** Builds and starts the relay; {@code listening} is the SMTP address we accept on (for loop detection). */
    public static OutboundRelay start(ServerConfig config, DurableQueue queue, Transport transport,
                                      EventLoopGroup loops, InetSocketAddress listening, FatalErrorHandler fatal) {
        RelaySettings s = config.relay();
        warnAboutShortFinalReplyTimeout(s.timeouts());
        DnsNameResolverBuilder b = new DnsNameResolverBuilder(loops.next())
                .datagramChannelType(transport.datagramChannel())
                .queryTimeoutMillis(5000)
                .nameServerProvider(s.dnsServer() != null
                        ? new SingletonDnsServerAddressStreamProvider(s.dnsServer())
                        : DnsServerAddressStreamProviders.platformDefault());
        DnsNameResolver dns = b.build();
        Router router = new Router(TransportMap.parse(s.transportMap()), dns, s.smtpPort());
        SmtpConnector connector = new SmtpConnector(loops, transport.clientChannel(), config.hostname(),
                s.timeouts(), SmtpConnector.opportunisticTls());
        RelayConfig rc = new RelayConfig(config.hostname(), s.maxConnections(), s.maxPerDestination(), s.idleTimeout(),
                s.maxReceived(), a -> isOurs(a, listening));
        RelayService service = new RelayService(rc, queue, queue, router, connector, fatal);
        service.start();
        return new OutboundRelay(dns, service);
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

    /** Our listen address, or any local address on our port when we listen on all of them. */
    static boolean isOurs(InetSocketAddress hop, InetSocketAddress listening) {
        if (hop.getPort() != listening.getPort()) {
            return false;
        }
        InetAddress ours = listening.getAddress();
        if (ours == null || ours.isAnyLocalAddress()) {
            try {
                return hop.getAddress().isLoopbackAddress() || NetworkInterface.getByInetAddress(hop.getAddress()) != null;
            } catch (SocketException e) {
                return false;
            }
        }
        return ours.equals(hop.getAddress());
    }

    /** Lets deliveries under way finish (bounded), then stops. */
    @Override
    public void close() {
        service.close(10);
        dns.close();
    }
}
