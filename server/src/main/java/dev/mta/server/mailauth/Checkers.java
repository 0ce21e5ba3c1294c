package dev.mta.server.mailauth;

import dev.mta.mailauth.dkim.DkimVerifier;
import dev.mta.mailauth.dmarc.DmarcEvaluator;
import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.MailauthResolvers;
import dev.mta.mailauth.dns.ResolverDnsLookup;
import dev.mta.mailauth.spf.SpfChecker;
import dev.mta.mailauth.spf.SpfSettings;
import dev.mta.server.config.MailauthSettings;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * mailauth's checkers as the server runs them: one DNS resolver with its cache (on one event loop, asking
 * {@code --dns-server} or the system's servers), SPF timed on that loop, DKIM's signature checks on a bounded pool of
 * {@code --mailauth-workers} threads, DMARC. The pool ends when the event loops do.
 */
final class Checkers {
    /** Signature checks waiting for a worker; past it a check is refused, and that signature is a temperror. */
    private static final int QUEUED_CHECKS = 4096;

    final SpfChecker spf;
    final DkimVerifier dkim;
    final DmarcEvaluator dmarc;

    Checkers(SpfChecker spf, DkimVerifier dkim, DmarcEvaluator dmarc) {
        this.spf = spf;
        this.dkim = dkim;
        this.dmarc = dmarc;
    }

    /** The checkers for {@code settings}, the resolver on one of {@code loops}. */
    static Checkers start(MailauthSettings settings, String hostname, EventLoopGroup loops,
                          Class<? extends DatagramChannel> udp, Class<? extends SocketChannel> tcp,
                          InetSocketAddress dnsServer) {
        EventLoop loop = loops.next();
        DnsLookup dns = new ResolverDnsLookup(
                MailauthResolvers.newResolver(loop, udp, tcp, dnsServer, settings.dnsTimeout()), settings.dnsTimeout());
        ThreadPoolExecutor crypto = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_CHECKS), daemonThreads());
        crypto.allowCoreThreadTimeOut(true);
        loops.terminationFuture().addListener(f -> crypto.shutdownNow());
        return new Checkers(new SpfChecker(dns, loop, SpfSettings.defaults(hostname)),
                new DkimVerifier(dns, crypto, Clock.systemUTC(), settings.maxSignatures()), new DmarcEvaluator(dns));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mailauth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
