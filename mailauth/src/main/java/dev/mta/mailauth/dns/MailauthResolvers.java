package dev.mta.mailauth.dns;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;

import java.net.InetSocketAddress;
import java.time.Duration;

/** Builds the {@link DnsNameResolver} a {@link ResolverDnsLookup} expects. */
public final class MailauthResolvers {
    /** EDNS0 payload offered (RFC 6891): DKIM keys of 2048 bits and long SPF records fit in one UDP answer. */
    static final int EDNS_PAYLOAD = 4096;

    private MailauthResolvers() {
    }

    /**
     * A resolver on {@code loop} asking {@code server} (the relay's {@code --dns-server}), or the system's name servers
     * (resolv.conf) when it is null. The channel types must suit the loop (NIO or epoll alike). Settings that matter:
     * <ul>
     * <li>{@code socketChannelType(tcp, false)}: a truncated UDP answer is asked again over TCP (RFC 7766), on the
     * same server; a UDP timeout is not (it would only spend the lookup's time twice);</li>
     * <li>{@code queryTimeoutMillis(timeout)}: each attempt (UDP, then TCP) on its own; {@link ResolverDnsLookup}
     * bounds the two together by the same timeout;</li>
     * <li>recursion desired and EDNS0 with a {@value #EDNS_PAYLOAD}-octet payload: raw queries do not iterate, so the
     * server must be recursive, and most answers then need no TCP.</li>
     * </ul>
     * Netty's own caches, search domains and ndots do not apply to raw queries and are left alone. The caller closes
     * the resolver.
     */
    public static DnsNameResolver newResolver(EventLoop loop, Class<? extends DatagramChannel> udp,
                                              Class<? extends SocketChannel> tcp, InetSocketAddress server,
                                              Duration timeout) {
        return new DnsNameResolverBuilder(loop)
                .datagramChannelType(udp)
                .socketChannelType(tcp, false)
                .queryTimeoutMillis(timeout.toMillis())
                .recursionDesired(true)
                .optResourceEnabled(true)
                .maxPayloadSize(EDNS_PAYLOAD)
                .nameServerProvider(server != null
                        ? new SingletonDnsServerAddressStreamProvider(server)
                        : DnsServerAddressStreamProviders.platformDefault())
                .build();
    }
}
