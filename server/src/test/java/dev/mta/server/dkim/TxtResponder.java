package dev.mta.server.dkim;

import io.netty.bootstrap.Bootstrap;
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

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loopback UDP DNS server that answers TXT queries from what the test gave it: each record as its
 * character-strings, a name with no TXT record, SERVFAIL; any other name is NXDOMAIN. testkit's TestDnsServer
 * answers no TXT yet (TODO: use it once it does, and drop this class).
 */
final class TxtResponder implements AutoCloseable {
    private final Map<String, List<List<String>>> txt = new ConcurrentHashMap<>();
    private final Set<String> servfail = ConcurrentHashMap.newKeySet();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    TxtResponder() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answer());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** One more TXT record at {@code name}, made of these character-strings (each at most 255 octets). */
    TxtResponder txt(String name, String... strings) {
        txt.computeIfAbsent(name, n -> new ArrayList<>()).add(List.of(strings));
        return this;
    }

    /** {@code name} exists but has no TXT record (NODATA). */
    TxtResponder noTxt(String name) {
        txt.putIfAbsent(name, new ArrayList<>());
        return this;
    }

    TxtResponder servfail(String name) {
        servfail.add(name);
        return this;
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ByteBuf rdata(List<String> strings) {
        ByteBuf b = Unpooled.buffer();
        for (String s : strings) {
            byte[] octets = s.getBytes(StandardCharsets.UTF_8);
            b.writeByte(octets.length).writeBytes(octets);
        }
        return b;
    }

    private final class Answer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
            DnsQuestion question = q.recordAt(DnsSection.QUESTION);
            String name = question.name().endsWith(".")
                    ? question.name().substring(0, question.name().length() - 1) : question.name();
            DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
            r.setRecursionAvailable(true);
            r.addRecord(DnsSection.QUESTION, question);
            List<List<String>> records = txt.get(name);
            if (servfail.contains(name)) {
                r.setCode(DnsResponseCode.SERVFAIL);
            } else if (records == null) {
                r.setCode(DnsResponseCode.NXDOMAIN);
            } else if (question.type() == DnsRecordType.TXT) {
                for (List<String> strings : records) {
                    r.addRecord(DnsSection.ANSWER,
                            new DefaultDnsRawRecord(question.name(), DnsRecordType.TXT, 60, rdata(strings)));
                }
            }
            ctx.writeAndFlush(r);
        }
    }
}
