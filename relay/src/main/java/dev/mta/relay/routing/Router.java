package dev.mta.relay.routing;

import dev.mta.protocol.reply.EnhancedStatus;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds the next hops for a destination domain: a transport map route first, else its MX records by preference
 * (equal preferences in random order), each MX host's addresses; no MX means the domain itself (RFC 5321 5.1).
 * A null MX (RFC 7505) and NXDOMAIN are permanent failures; every other DNS problem is temporary.
 */
public final class Router {
    private final TransportRoutes transports;
    private final DnsNameResolver dns;
    private final int smtpPort;

    /** @param smtpPort the port for hosts found through DNS (25, other than in tests) */
    public Router(TransportMap transports, DnsNameResolver dns, int smtpPort) {
        this(TransportRoutes.of(transports), dns, smtpPort);
    }

    /** A router that reads the map in force in {@code transports} at every lookup (it may be replaced any time). */
    public Router(TransportRoutes transports, DnsNameResolver dns, int smtpPort) {
        this.transports = transports;
        this.dns = dns;
        this.smtpPort = smtpPort;
    }

    public CompletableFuture<List<NextHop>> route(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        TransportMap.Target t = transports.current().lookup(d);
        if (t != null) {
            return addresses(t.host(), t.port());
        }
        if (d.startsWith("[") && d.endsWith("]")) {
            return literal(d.substring(1, d.length() - 1));
        }
        if (d.isEmpty()) {
            return CompletableFuture.failedFuture(new RoutingException(EnhancedStatus.of(5, 1, 2), "recipient has no domain"));
        }
        return mx(d).thenCompose(hosts -> {
            List<CompletableFuture<List<NextHop>>> each = new ArrayList<>();
            for (String h : hosts) {
                each.add(addresses(h, smtpPort).exceptionally(e -> List.of()));
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture[0])).thenApply(v -> {
                List<NextHop> all = new ArrayList<>();
                each.forEach(f -> all.addAll(f.join()));
                if (all.isEmpty()) {
                    throw new java.util.concurrent.CompletionException(new RoutingException(EnhancedStatus.of(4, 4, 3), "no address found for the mail exchangers of " + d + ": " + hosts));
                }
                return all;
            });
        });
    }

    /** An address-literal domain ([192.0.2.1], [IPv6:2001:db8::1]): delivered to that address directly. */
    private CompletableFuture<List<NextHop>> literal(String text) {
        String ip = text.regionMatches(true, 0, "IPv6:", 0, 5) ? text.substring(5) : text;
        NextHop hop = ipHop(ip, smtpPort);
        return hop == null
                ? CompletableFuture.failedFuture(new RoutingException(EnhancedStatus.of(5, 1, 2), "bad address literal [" + text + "]"))
                : CompletableFuture.completedFuture(List.of(hop));
    }

    private static NextHop ipHop(String ip, int port) {
        byte[] raw = NetUtil.createByteArrayFromIpAddressString(ip);
        try {
            return raw == null ? null : new NextHop(ip, new InetSocketAddress(InetAddress.getByAddress(raw), port));
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The MX host names by preference; the domain itself when it has none. */
    private CompletableFuture<List<String>> mx(String domain) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        dns.query(new DefaultDnsQuestion(domain, DnsRecordType.MX)).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new RoutingException(EnhancedStatus.of(4, 4, 3), "DNS lookup of MX for " + domain
                        + " failed: " + why(f.cause())));
                return;
            }
            @SuppressWarnings("unchecked")
            AddressedEnvelope<DnsResponse, InetSocketAddress> env = (AddressedEnvelope<DnsResponse, InetSocketAddress>) f.getNow();
            try {
                DnsResponse r = env.content();
                if (r.code() == DnsResponseCode.NXDOMAIN) {
                    result.completeExceptionally(new RoutingException(EnhancedStatus.of(5, 1, 2), "domain " + domain + " does not exist"));
                    return;
                }
                if (r.code() != DnsResponseCode.NOERROR) {
                    result.completeExceptionally(new RoutingException(EnhancedStatus.of(4, 4, 3), "DNS lookup of MX for " + domain
                            + " failed: " + r.code()));
                    return;
                }
                List<long[]> prefs = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < r.count(DnsSection.ANSWER); i++) {
                    DnsRecord rec = r.recordAt(DnsSection.ANSWER, i);
                    if (rec.type() == DnsRecordType.MX && rec instanceof DnsRawRecord) {
                        ByteBuf c = ((DnsRawRecord) rec).content().duplicate();
                        int pref = c.readUnsignedShort();
                        String name = DefaultDnsRecordDecoder.decodeName(c);
                        prefs.add(new long[]{pref, ThreadLocalRandom.current().nextLong(), names.size()});
                        names.add(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
                    }
                }
                if (names.size() == 1 && names.get(0).isEmpty()) {
                    result.completeExceptionally(new RoutingException(EnhancedStatus.of(5, 1, 10), "domain " + domain + " accepts no mail (null MX)"));
                    return;
                }
                if (names.isEmpty()) {
                    result.complete(List.of(domain)); // implicit MX
                    return;
                }
                prefs.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
                List<String> ordered = new ArrayList<>();
                for (long[] p : prefs) {
                    String n = names.get((int) p[2]);
                    if (!n.isEmpty() && !ordered.contains(n)) {
                        ordered.add(n);
                    }
                }
                result.complete(Collections.unmodifiableList(ordered));
            } finally {
                env.release();
            }
        });
        return result;
    }

    private CompletableFuture<List<NextHop>> addresses(String host, int port) {
        NextHop direct = ipHop(host, port);
        if (direct != null) {
            return CompletableFuture.completedFuture(List.of(direct));
        }
        CompletableFuture<List<NextHop>> result = new CompletableFuture<>();
        dns.resolveAll(host).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new RoutingException(EnhancedStatus.of(4, 4, 3), "cannot resolve " + host + ": "
                        + why(f.cause())));
                return;
            }
            @SuppressWarnings("unchecked")
            List<InetAddress> addrs = (List<InetAddress>) f.getNow();
            List<NextHop> hops = new ArrayList<>();
            for (InetAddress a : addrs) {
                hops.add(new NextHop(host, new InetSocketAddress(a, port)));
            }
            result.complete(hops);
        });
        return result;
    }

    /**
     * What went wrong with a DNS query, in words fit for a DSN that goes to a stranger: the resolver's own message
     * names our DNS server's address and its query internals.
     */
    static String why(Throwable cause) {
        if (cause instanceof io.netty.resolver.dns.DnsNameResolverTimeoutException) {
            return "timed out";
        }
        if (cause instanceof java.net.UnknownHostException) {
            return "no address found";
        }
        return "lookup error (" + cause.getClass().getSimpleName() + ")";
    }
}
