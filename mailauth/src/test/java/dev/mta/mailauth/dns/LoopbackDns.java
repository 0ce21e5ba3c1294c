package dev.mta.mailauth.dns;

import dev.mta.testkit.TestDnsServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.dns.DnsNameResolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A test's event loop and the resolvers it builds against a {@link TestDnsServer}; closes them all. */
final class LoopbackDns implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<DnsNameResolver> resolvers = new ArrayList<>();

    /** A resolver as production builds it, asking only {@code server}. */
    DnsNameResolver resolver(TestDnsServer server, Duration timeout) {
        return keep(MailauthResolvers.newResolver(group.next(), NioDatagramChannel.class, NioSocketChannel.class,
                server.address(), timeout));
    }

    DnsNameResolver keep(DnsNameResolver r) {
        resolvers.add(r);
        return r;
    }

    static <T> DnsResult<T> await(CompletionStage<DnsResult<T>> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("lookup did not complete", e);
        }
    }

    @Override
    public void close() {
        resolvers.forEach(DnsNameResolver::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
