package dev.mta.mailauth.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The production {@link DnsLookup}: raw queries through Netty's {@link DnsNameResolver}, answers cached for their TTL.
 * <p>
 * Netty does not cache raw queries, so this class does ({@link AnswerCache}: TTLs honoured, negative answers per RFC
 * 2308, at most {@code maxCacheEntries}, identical queries in flight shared). Each lookup ends within {@code timeout}
 * (the product's {@code --mailauth-dns-timeout}) in a {@link DnsResult}, never an exception; its stage completes on
 * the resolver's event loop. Answers are read whole: CNAMEs the server followed are followed here, only records of
 * the asked type are returned. TXT data is read one char per octet (ISO-8859-1, why: {@code RecordData.txt}), and over
 * 8 KB of it in one answer is TOO_BIG.
 * <p>
 * The resolver must send queries to a recursive server (raw queries do not iterate), and should retry truncated
 * answers over TCP ({@code DnsNameResolverBuilder.socketChannelType}); without that a truncated answer is TEMPFAIL.
 * {@link MailauthResolvers} builds one with the settings this class expects.
 */
public final class ResolverDnsLookup implements DnsLookup {
    /** Cached answers at most, unless the constructor says otherwise. */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    private final ResolverQuery query;
    private final AnswerCache cache;

    /** Lookups through {@code resolver}, each within {@code timeout}, with a cache of the default size. */
    public ResolverDnsLookup(DnsNameResolver resolver, Duration timeout) {
        this(resolver, timeout, DEFAULT_CACHE_ENTRIES);
    }

    /** Lookups through {@code resolver}, each within {@code timeout}, at most {@code maxCacheEntries} answers kept. */
    public ResolverDnsLookup(DnsNameResolver resolver, Duration timeout, int maxCacheEntries) {
        this(resolver, timeout, maxCacheEntries, System::nanoTime);
    }

    /** With the cache's clock given, so tests can step past a TTL. */
    ResolverDnsLookup(DnsNameResolver resolver, Duration timeout, int maxCacheEntries, LongSupplier nanoTime) {
        this.query = new ResolverQuery(resolver, timeout);
        this.cache = new AnswerCache(maxCacheEntries, nanoTime);
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        return lookup(name, DnsRecordType.TXT, RecordData.txt());
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        return lookup(name, DnsRecordType.A, RecordData.a());
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return lookup(name, DnsRecordType.AAAA, RecordData.aaaa());
    }

    @Override
    public CompletionStage<DnsResult<MxHost>> mx(String name) {
        return lookup(name, DnsRecordType.MX, RecordData.mx());
    }

    @Override
    public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
        return lookup(ReverseNames.of(address), DnsRecordType.PTR, RecordData.ptr());
    }

    /** Answers in the cache now. */
    int cached() {
        return cache.size();
    }

    private <T> CompletionStage<DnsResult<T>> lookup(String name, DnsRecordType type, RecordData.Decoder<T> decoder) {
        // Asked as absolute names: the trailing dot keeps any resolver's search list out of it.
        String absolute = RecordData.withoutDot(name) + ".";
        AnswerCache.Key key = new AnswerCache.Key(type.intValue(), RecordData.withoutDot(name).toLowerCase(Locale.ROOT));
        return cache.get(key, () -> query.send(absolute, type, decoder));
    }
}
