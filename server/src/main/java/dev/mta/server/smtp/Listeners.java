package dev.mta.server.smtp;

import dev.mta.server.config.HostPort;
import dev.mta.server.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The SMTP server's listening sockets, of every kind: binds each configured address (a wildcard that our own
 * dual-stack wildcard already serves is said so), and knows the addresses bound, whether they are all open, and
 * how to close them.
 */
final class Listeners {
    /** SmtpServer's logger: the listeners' lines keep the name they have always had. */
    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);

    private final String hostname;
    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    /** In the order of the kinds (SMTP, submission, SMTPS), each in the order bound. */
    private final Map<ListenerKind, List<Channel>> bound = new EnumMap<>(ListenerKind.class);

    Listeners(String hostname, Transport transport, EventLoopGroup acceptors, EventLoopGroup workers) {
        this.hostname = hostname;
        this.transport = transport;
        this.acceptors = acceptors;
        this.workers = workers;
        for (ListenerKind kind : ListenerKind.values()) {
            bound.put(kind, new ArrayList<>());
        }
    }

    /**
     * Binds each of {@code addresses}, its connections set up by a handler of {@code pipelines}. The JVM's sockets are
     * dual-stack: a wildcard listener ({@code 0.0.0.0} or {@code [::]}) takes IPv4 and IPv6 alike, so the other
     * wildcard on the same port, listed beside it ({@code 0.0.0.0:25, [::]:25}), finds the port taken by ourselves:
     * it is served already, and said so. (A wildcard of another kind of listener on that port is a mistake, and
     * fails.) {@code startTls}: whether the log says STARTTLS is offered.
     */
    void bindAll(ListenerKind kind, List<InetSocketAddress> addresses, Supplier<ChannelHandler> pipelines,
                 boolean startTls) throws InterruptedException {
        List<Channel> channels = bound.get(kind);
        List<InetSocketAddress> wildcards = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            try {
                channels.add(bind(kind, a, pipelines.get(), startTls));
                if (isWildcard(a)) {
                    wildcards.add(new InetSocketAddress(a.getAddress(), localPort(channels.get(channels.size() - 1))));
                }
            } catch (Exception e) { // a BindException arrives undeclared from Netty's sync()
                InetSocketAddress by = !(e instanceof java.net.BindException) || !isWildcard(a) ? null
                        : wildcards.stream().filter(w -> w.getPort() == a.getPort()).findFirst().orElse(null);
                if (by == null) {
                    throw e;
                }
                log.info("{} on {}: served by the listener on {}, whose dual-stack socket takes IPv4 and IPv6",
                        kind.label, HostPort.format(a), HostPort.format(by));
            }
        }
    }

    private Channel bind(ListenerKind kind, InetSocketAddress address, ChannelHandler pipeline, boolean startTls)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // Bounded reads, and a session stops reading while its replies pile up: see ConnectionBuffers.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, ConnectionBuffers.READS)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ConnectionBuffers.WRITES)
                .childHandler(pipeline);
        Channel ch;
        try {
            ch = b.bind(address).sync().channel();
        } catch (Exception e) { // a BindException arrives undeclared from Netty's sync(): say which address
            if (e instanceof java.net.BindException) {
                PlatformDependent.throwException(new java.net.BindException("cannot listen on "
                        + HostPort.format(address) + ": " + e.getMessage()));
            }
            throw e;
        }
        // The address as configured, with the port it got (a wildcard shows as written, not as the socket's [::]).
        InetSocketAddress as = address.getAddress() == null ? (InetSocketAddress) ch.localAddress()
                : new InetSocketAddress(address.getAddress(), localPort(ch));
        log.info("{} listening on {} as {} ({} transport{})", kind.label, HostPort.format(as),
                hostname, transport.name(), startTls ? ", STARTTLS offered" : "");
        return ch;
    }

    private static boolean isWildcard(InetSocketAddress a) {
        return a.getAddress() != null && a.getAddress().isAnyLocalAddress();
    }

    private static int localPort(Channel ch) {
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** The addresses bound for {@code kind}, in the order bound (the port is known here when 0 was asked for). */
    List<InetSocketAddress> addresses(ListenerKind kind) {
        List<InetSocketAddress> all = new ArrayList<>();
        bound.get(kind).forEach(ch -> all.add((InetSocketAddress) ch.localAddress()));
        return all;
    }

    /** Every address bound, of every kind. */
    List<InetSocketAddress> addresses() {
        List<InetSocketAddress> all = new ArrayList<>();
        for (ListenerKind kind : ListenerKind.values()) {
            all.addAll(addresses(kind));
        }
        return all;
    }

    /** Whether an SMTP listener is bound and every listener is open (false once {@link #close()} has run). */
    boolean listening() {
        for (List<Channel> kind : bound.values()) {
            for (Channel l : kind) {
                if (!l.isActive()) {
                    return false;
                }
            }
        }
        return !bound.get(ListenerKind.SMTP).isEmpty();
    }

    /** Closes every listener, waiting for each. */
    void close() {
        for (List<Channel> kind : bound.values()) {
            kind.forEach(l -> l.close().syncUninterruptibly());
        }
    }
}
