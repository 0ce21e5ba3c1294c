package dev.mta.server.dkim;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TXT lookups for the command line, through Netty's resolver on one event loop of its own: on the DNS server given
 * or the system's resolvers ({@code /etc/resolv.conf}), over TCP when a UDP answer comes truncated. A command waits
 * for each answer; the MTA itself never blocks on one.
 */
final class TxtResolver implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final DnsNameResolver resolver;
    private final Duration timeout;

    /** {@code server} null: the system's resolvers. */
    TxtResolver(InetSocketAddress server, Duration timeout) {
        this.timeout = timeout;
        this.resolver = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class)
                .nameServerProvider(server != null ? new SingletonDnsServerAddressStreamProvider(server)
                        : DnsServerAddressStreamProviders.platformDefault())
                .queryTimeoutMillis(timeout.toMillis())
                .build();
    }

    /** The TXT records at {@code name} (absolute, without its final dot), waiting for the answer. */
    TxtAnswer lookup(String name) {
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> f =
                resolver.query(new DefaultDnsQuestion(name + ".", DnsRecordType.TXT));
        // The resolver times out each query itself, and may try more than one server: this bound is only a backstop.
        if (!f.awaitUninterruptibly(timeout.multipliedBy(4).plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)) {
            f.cancel(false);
            return TxtAnswer.failed("timed out");
        }
        if (!f.isSuccess()) {
            return TxtAnswer.failed(why(f.cause()));
        }
        AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = f.getNow();
        try {
            return answer(envelope.content());
        } finally {
            envelope.release();
        }
    }

    private static TxtAnswer answer(DnsResponse r) {
        if (r.code() == DnsResponseCode.NXDOMAIN) {
            return TxtAnswer.nxdomain();
        }
        if (r.code() != DnsResponseCode.NOERROR) {
            return TxtAnswer.failed("the DNS server answered " + rcode(r.code()));
        }
        List<String> records = new ArrayList<>();
        for (int i = 0; i < r.count(DnsSection.ANSWER); i++) {
            DnsRecord rec = r.recordAt(DnsSection.ANSWER, i);
            // A CNAME before the TXT is followed by the recursive server; only the TXT records are the key's.
            if (rec.type() == DnsRecordType.TXT && rec instanceof DnsRawRecord raw) {
                records.add(joined(raw.content()));
            }
        }
        return TxtAnswer.found(records);
    }

    /** A TXT record's character-strings (a length octet, then the octets) joined with nothing between them. */
    static String joined(ByteBuf rdata) {
        ByteBuf c = rdata.duplicate();
        byte[] octets = new byte[c.readableBytes()];
        int length = 0;
        while (c.isReadable()) {
            int n = Math.min(c.readUnsignedByte(), c.readableBytes());
            c.readBytes(octets, length, n);
            length += n;
        }
        // Joined as octets first: a character may be cut between two strings.
        return new String(octets, 0, length, StandardCharsets.UTF_8);
    }

    /** The RFC 1035 name of the answers a check meets (Netty writes them as "ServFail(2)"). */
    static String rcode(DnsResponseCode code) {
        return switch (code.intValue()) {
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            default -> "rcode " + code.intValue();
        };
    }

    private static String why(Throwable cause) {
        if (cause instanceof DnsNameResolverTimeoutException) {
            return "timed out";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    @Override
    public void close() {
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
