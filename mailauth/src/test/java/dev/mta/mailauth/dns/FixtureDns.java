package dev.mta.mailauth.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DnsLookup} answered from records the test sets: names that exist with other types give NODATA, unknown
 * names NXDOMAIN, names marked {@link #tempfail} a temporary failure, {@link #tooBig} an oversized TXT answer. Counts
 * the queries, so budgets can be checked.
 */
public final class FixtureDns implements DnsLookup {
    private final Map<String, List<String>> txt = new HashMap<>();
    private final Map<String, List<InetAddress>> a = new HashMap<>();
    private final Map<String, List<InetAddress>> aaaa = new HashMap<>();
    private final Map<String, List<MxHost>> mx = new HashMap<>();
    private final Map<String, List<String>> ptr = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> tempfail = new HashSet<>();
    private final Set<String> tooBig = new HashSet<>();
    private final AtomicInteger queries = new AtomicInteger();

    public FixtureDns txt(String name, String... records) {
        return add(txt, name, List.of(records));
    }

    public FixtureDns a(String name, String... addresses) {
        return add(a, name, addresses(addresses));
    }

    public FixtureDns aaaa(String name, String... addresses) {
        return add(aaaa, name, addresses(addresses));
    }

    public FixtureDns mx(String name, int preference, String host) {
        return add(mx, name, List.of(new MxHost(preference, host)));
    }

    /** PTR names for {@code address} (an IPv4 or IPv6 literal). */
    public FixtureDns ptr(String address, String... hosts) {
        return add(ptr, key(address), List.of(hosts));
    }

    /** Every query for {@code name}, of any type, fails temporarily. */
    public FixtureDns tempfail(String name) {
        tempfail.add(norm(name));
        return this;
    }

    /** A TXT query for {@code name} gets an answer over the size limit. */
    public FixtureDns tooBig(String name) {
        tooBig.add(norm(name));
        names.add(norm(name));
        return this;
    }

    public int queries() {
        return queries.get();
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        if (tooBig.contains(norm(name))) {
            queries.incrementAndGet();
            return CompletableFuture.completedFuture(DnsResult.tooBig());
        }
        return answer(txt, name);
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        return answer(a, name);
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return answer(aaaa, name);
    }

    @Override
    public CompletionStage<DnsResult<MxHost>> mx(String name) {
        return answer(mx, name);
    }

    @Override
    public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
        return answer(ptr, key(address.getHostAddress()));
    }

    private <T> CompletionStage<DnsResult<T>> answer(Map<String, List<T>> type, String name) {
        queries.incrementAndGet();
        String n = norm(name);
        if (tempfail.contains(n)) {
            return CompletableFuture.completedFuture(DnsResult.tempfail());
        }
        List<T> found = type.get(n);
        if (found != null) {
            return CompletableFuture.completedFuture(DnsResult.found(found));
        }
        return CompletableFuture.completedFuture(names.contains(n) ? DnsResult.nodata() : DnsResult.nxdomain());
    }

    private <T> FixtureDns add(Map<String, List<T>> type, String name, List<T> records) {
        String n = norm(name);
        type.computeIfAbsent(n, k -> new ArrayList<>()).addAll(records);
        names.add(n);
        return this;
    }

    private static List<InetAddress> addresses(String... literals) {
        List<InetAddress> out = new ArrayList<>();
        for (String l : literals) {
            try {
                out.add(InetAddress.getByName(l)); // literals only: no lookup happens
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(l, e);
            }
        }
        return out;
    }

    private static String key(String address) {
        try {
            return "ptr:" + InetAddress.getByName(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    private static String norm(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
