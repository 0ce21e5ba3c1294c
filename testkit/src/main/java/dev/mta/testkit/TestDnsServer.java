package dev.mta.testkit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A tiny authoritative DNS server on loopback UDP for routing tests: MX and A records, NXDOMAIN, SERVFAIL. */
public final class TestDnsServer implements AutoCloseable {
    private record Mx(int preference, String host) {
    }

    private final Map<String, List<Mx>> mx = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> a = new ConcurrentHashMap<>();
    private final Map<String, Boolean> exists = new ConcurrentHashMap<>();
    private final Map<String, Boolean> servfail = new ConcurrentHashMap<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    public TestDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answer());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
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
        mx.computeIfAbsent(domain, d -> new ArrayList<>()).add(new Mx(preference, host));
        exists.put(domain, true);
        return this;
    }

    /** RFC 7505: "MX 0 ." */
    public TestDnsServer nullMx(String domain) {
        return mx(domain, 0, "");
    }

    public TestDnsServer a(String host, String ip) throws Exception {
        a.computeIfAbsent(host, h -> new ArrayList<>()).add(InetAddress.getByName(ip));
        exists.put(host, true);
        return this;
    }

    public TestDnsServer servfail(String domain) {
        servfail.put(domain, true);
        return this;
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ByteBuf name(String host) {
        ByteBuf b = Unpooled.buffer();
        if (!host.isEmpty()) {
            for (String label : host.split("\\.")) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                b.writeByte(l.length).writeBytes(l);
            }
        }
        return b.writeByte(0);
    }

    private final class Answer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
            DnsQuestion question = q.recordAt(DnsSection.QUESTION);
            String n = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1) : question.name();
            DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
            r.setRecursionAvailable(true);
            r.addRecord(DnsSection.QUESTION, question);
            if (servfail.containsKey(n)) {
                r.setCode(DnsResponseCode.SERVFAIL);
            } else if (!exists.containsKey(n)) {
                r.setCode(DnsResponseCode.NXDOMAIN);
            } else if (question.type() == DnsRecordType.MX) {
                for (Mx m : mx.getOrDefault(n, List.of())) {
                    ByteBuf rdata = Unpooled.buffer().writeShort(m.preference()).writeBytes(name(m.host()));
                    r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.MX, 60, rdata));
                }
            } else if (question.type() == DnsRecordType.A) {
                for (InetAddress addr : a.getOrDefault(n, List.of())) {
                    r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 60,
                            Unpooled.wrappedBuffer(addr.getAddress())));
                }
            }
            ctx.writeAndFlush(r);
        }
    }
}
