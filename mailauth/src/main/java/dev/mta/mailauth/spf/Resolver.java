package dev.mta.mailauth.spf;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.dns.MxHost;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The check's view of {@link DnsLookup}: no query once the time is up, and a lookup that fails in any way (throws,
 * completes exceptionally or with null) is a TEMPFAIL, so nothing a resolver does can escape as an exception.
 */
final class Resolver {
    private final DnsLookup dns;
    private final LookupLimits limits;

    Resolver(DnsLookup dns, LookupLimits limits) {
        this.dns = dns;
        this.limits = limits;
    }

    CompletionStage<DnsResult<String>> txt(String name) {
        return ask(() -> dns.txt(name));
    }

    /** A records for an IPv4 client, AAAA for an IPv6 one. */
    CompletionStage<DnsResult<InetAddress>> addresses(String name, InetAddress client) {
        return client instanceof Inet4Address ? a(name) : ask(() -> dns.aaaa(name));
    }

    CompletionStage<DnsResult<InetAddress>> a(String name) {
        return ask(() -> dns.a(name));
    }

    CompletionStage<DnsResult<MxHost>> mx(String name) {
        return ask(() -> dns.mx(name));
    }

    CompletionStage<DnsResult<String>> ptr(InetAddress address) {
        return ask(() -> dns.ptr(address));
    }

    private <T> CompletionStage<DnsResult<T>> ask(Supplier<CompletionStage<DnsResult<T>>> query) {
        if (limits.expired()) {
            return CompletableFuture.failedFuture(SpfAbort.temperror("time limit exceeded"));
        }
        CompletionStage<DnsResult<T>> answer;
        try {
            answer = query.get();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(DnsResult.tempfail());
        }
        if (answer == null) {
            return CompletableFuture.completedFuture(DnsResult.tempfail());
        }
        return answer.handle((r, e) -> e != null || r == null ? DnsResult.tempfail() : r);
    }
}
