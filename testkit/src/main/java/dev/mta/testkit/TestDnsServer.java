package dev.mta.testkit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.mta.testkit.TestDnsZone.bytes;
import static dev.mta.testkit.TestDnsZone.name;
import static dev.mta.testkit.TestDnsZone.norm;

/**
 * A tiny authoritative DNS server on loopback, UDP and TCP on the same port: MX, A, AAAA, TXT, PTR and CNAME records,
 * NXDOMAIN (unknown names) and NODATA (known names, other types), SERVFAIL, REFUSED, names it never answers, per-name
 * TTLs and an SOA for negative answers. A UDP answer larger than the query allows (512 octets, or its EDNS0 size) goes
 * out truncated (TC, no records), as do all UDP answers for names marked {@link #truncate}; TCP answers in full.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final int HEADER = 12;

    private final TestDnsZone zone = new TestDnsZone();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final Set<String> truncated = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tcpQueries = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final Channel tcp;

    public TestDnsServer() throws InterruptedException {
        Channel udp = null;
        Channel stream = null;
        // TCP must take the UDP port's number (the resolver retries truncated answers there): try until one is free.
        for (int attempt = 0; stream == null; attempt++) {
            udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                    new UdpAnswer());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            try {
                stream = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                        new TcpAnswer());
                            }
                        }).bind(((InetSocketAddress) udp.localAddress())).sync().channel();
            } catch (Exception busy) {
                udp.close().sync();
                if (attempt == 20) {
                    throw new IllegalStateException("no port free for both UDP and TCP", busy);
                }
            }
        }
        channel = udp;
        tcp = stream;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** A resolver on {@code group} that asks only this server (IPv4, no cache, no search domains). */
    public io.netty.resolver.dns.DnsNameResolver resolver(EventLoopGroup group) {
        return new io.netty.resolver.dns.DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(new io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider(address()))
                .resolvedAddressTypes(io.netty.resolver.ResolvedAddressTypes.IPV4_ONLY)
                .resolveCache(io.netty.resolver.dns.NoopDnsCache.INSTANCE).searchDomains(List.of()).ndots(1)
                .queryTimeoutMillis(2000).maxQueriesPerResolve(4).build();
    }

    public TestDnsServer mx(String domain, int preference, String host) {
        ByteBuf rdata = Unpooled.buffer().writeShort(preference).writeBytes(bytes(name(host)));
        return add(domain, DnsRecordType.MX, bytes(rdata));
    }

    /** RFC 7505: "MX 0 ." */
    public TestDnsServer nullMx(String domain) {
        return mx(domain, 0, "");
    }

    public TestDnsServer a(String host, String ip) throws Exception {
        return add(host, DnsRecordType.A, InetAddress.getByName(ip).getAddress());
    }

    /** An AAAA record: {@code ip} is an IPv6 literal. */
    public TestDnsServer aaaa(String host, String ip) throws Exception {
        if (!ip.contains(":")) {
            throw new IllegalArgumentException("not IPv6: " + ip);
        }
        byte[] address = InetAddress.getByName(ip).getAddress();
        if (address.length == 4) {
            // The JDK turns ::ffff:a.b.c.d into IPv4; the record keeps the mapped form.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(address, 0, mapped, 12, 4);
            address = mapped;
        }
        return add(host, DnsRecordType.AAAA, address);
    }

    /** One TXT record made of these character-strings (UTF-8 octets each, at most 255). */
    public TestDnsServer txt(String name, String... strings) {
        ByteBuf rdata = Unpooled.buffer();
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > 255) {
                throw new IllegalArgumentException("a character-string holds 255 octets at most: " + b.length);
            }
            rdata.writeByte(b.length).writeBytes(b);
        }
        return add(name, DnsRecordType.TXT, bytes(rdata));
    }

    /** A PTR record: {@code name} is the reverse name as written, e.g. {@code 4.3.2.1.in-addr.arpa}. */
    public TestDnsServer ptr(String name, String host) {
        return add(name, DnsRecordType.PTR, bytes(name(host)));
    }

    /** {@code alias} is a CNAME for {@code target}: answers carry the CNAME, then the target's records. */
    public TestDnsServer cname(String alias, String target) {
        zone.cname(alias, target);
        return this;
    }

    /** The TTL of {@code name}'s records (60 s unless set). */
    public TestDnsServer ttl(String name, int seconds) {
        zone.ttl(name, seconds);
        return this;
    }

    /** NXDOMAIN and NODATA answers carry an SOA (RFC 2308) with this TTL and MINIMUM field. */
    public TestDnsServer soa(int ttl, int minimum) {
        zone.soa(ttl, minimum);
        return this;
    }

    public TestDnsServer servfail(String domain) {
        zone.servfail(domain);
        return this;
    }

    public TestDnsServer refused(String domain) {
        zone.refused(domain);
        return this;
    }

    /** Queries for {@code name} get no answer at all (the client times out). */
    public TestDnsServer silent(String name) {
        silent.add(norm(name));
        return this;
    }

    /** UDP answers for {@code name} are always truncated (TC set, no records); TCP answers in full. */
    public TestDnsServer truncate(String name) {
        truncated.add(norm(name));
        return this;
    }

    /** How many queries for {@code name} (any type, UDP and TCP) arrived. */
    public int queries(String name) {
        AtomicInteger n = queries.get(norm(name));
        return n == null ? 0 : n.get();
    }

    /** How many of them came over TCP. */
    public int tcpQueries(String name) {
        AtomicInteger n = tcpQueries.get(norm(name));
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        channel.close();
        tcp.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TestDnsServer add(String name, DnsRecordType type, byte[] rdata) {
        zone.add(name, type, rdata);
        return this;
    }

    /** Whether the query was answered (false: a silent name, the query is dropped). */
    private boolean count(DnsQuestion q, boolean overTcp) {
        String n = norm(q.name());
        queries.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        if (overTcp) {
            tcpQueries.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        }
        return !silent.contains(n);
    }

    /** The size a UDP answer may take: 512 octets, or what the query's EDNS0 OPT record offers (RFC 6891). */
    private static int udpLimit(DnsQuery q) {
        for (int i = 0; i < q.count(DnsSection.ADDITIONAL); i++) {
            DnsRecord r = q.recordAt(DnsSection.ADDITIONAL, i);
            if (r.type() == DnsRecordType.OPT) {
                return Math.max(512, r.dnsClass() & 0xFFFF);
            }
        }
        return 512;
    }

    private final class UdpAnswer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
            DnsQuestion question = q.recordAt(DnsSection.QUESTION);
            if (!count(question, false)) {
                return;
            }
            DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
            r.setRecursionAvailable(true);
            r.addRecord(DnsSection.QUESTION, question);
            TestDnsZone.Reply reply = zone.reply(question);
            int size = HEADER + question.name().length() + 1 + 4 + reply.size();
            if (truncated.contains(norm(question.name())) || size > udpLimit(q)) {
                reply.release();
                r.setCode(reply.code()).setTruncated(true);
            } else {
                reply.addTo(r);
            }
            ctx.writeAndFlush(r);
        }
    }

    private final class TcpAnswer extends SimpleChannelInboundHandler<DnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
            DnsQuestion question = q.recordAt(DnsSection.QUESTION);
            if (!count(question, true)) {
                return;
            }
            DnsResponse r = new DefaultDnsResponse(q.id());
            r.setRecursionAvailable(true);
            r.addRecord(DnsSection.QUESTION, question);
            zone.reply(question).addTo(r);
            ctx.writeAndFlush(r);
        }
    }
}
