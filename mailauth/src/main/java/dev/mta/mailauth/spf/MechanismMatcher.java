package dev.mta.mailauth.spf;

import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.dns.MxHost;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Whether the client matches the mechanisms that ask DNS, other than include (RFC 7208 5.3-5.5, 5.7): a, mx, ptr and
 * exists. A DNS error is a temperror unless the RFC says otherwise (ptr); a target that cannot be queried is a name
 * that does not exist.
 */
final class MechanismMatcher {
    private final Resolver dns;
    private final LookupLimits limits;
    private final TargetNames targets;

    MechanismMatcher(Resolver dns, LookupLimits limits, TargetNames targets) {
        this.dns = dns;
        this.limits = limits;
        this.targets = targets;
    }

    CompletionStage<Boolean> matches(Mechanism mechanism, MacroValues values) {
        if (mechanism instanceof Mechanism.A a) {
            return withTarget(a.target(), values, name -> dns.addresses(name, values.ip()).thenApply(found -> {
                if (answered(found, name)) {
                    return anyContains(found.records(), values.ip(), a.ip4Prefix(), a.ip6Prefix());
                }
                return false;
            }));
        }
        if (mechanism instanceof Mechanism.Mx mx) {
            return withTarget(mx.target(), values, name -> dns.mx(name).thenCompose(found -> answered(found, name)
                    ? exchangers(found.records(), values.ip(), mx.ip4Prefix(), mx.ip6Prefix())
                    : CompletableFuture.completedFuture(false)));
        }
        if (mechanism instanceof Mechanism.Exists e) {
            return withTarget(Optional.of(e.target()), values, name -> dns.a(name)
                    .thenApply(found -> answered(found, name)));
        }
        if (mechanism instanceof Mechanism.Ptr p) {
            // A PTR or address lookup that fails is no match here, not a temperror (5.5); nor is it a void lookup:
            // the reverse zone belongs to the client, not to the domain whose limits these are.
            return targets.resolve(p.target(), values, true).thenCompose(name -> name.isEmpty()
                    ? CompletableFuture.completedFuture(false)
                    : ValidatedNames.find(dns, values.ip(), n -> DomainNames.isWithin(n, name.get()))
                            .thenApply(valid -> !valid.isEmpty()));
        }
        return CompletableFuture.completedFuture(false);
    }

    /** Expands the target and asks about it; a name no query can be made of does not exist (a void lookup). */
    private CompletionStage<Boolean> withTarget(Optional<MacroString> spec, MacroValues values,
                                                Function<String, CompletionStage<Boolean>> ask) {
        return targets.resolve(spec, values, true).thenCompose(name -> {
            if (name.isEmpty()) {
                limits.countVoid();
                return CompletableFuture.completedFuture(false);
            }
            return ask.apply(name.get());
        });
    }

    /** True when records were found; a void answer is counted, a failure ends the check with temperror. */
    private boolean answered(DnsResult<?> result, String name) {
        if (result.isVoid()) {
            limits.countVoid();
            return false;
        }
        if (!result.found()) {
            throw SpfAbort.temperror("DNS failure looking up " + name);
        }
        return true;
    }

    /** The address lookups of each MX name, asked together; the first failure or match in MX order decides. */
    private CompletionStage<Boolean> exchangers(List<MxHost> hosts, InetAddress client, int ip4Prefix,
                                                int ip6Prefix) {
        if (hosts.size() > LookupLimits.MAX_MX_NAMES) {
            throw SpfAbort.permerror("more than " + LookupLimits.MAX_MX_NAMES + " MX names");
        }
        List<String> names = new ArrayList<>();
        List<CompletableFuture<DnsResult<InetAddress>>> lookups = new ArrayList<>();
        for (MxHost host : hosts) {
            Optional<String> name = DomainNames.forQuery(host.host()); // "" (a null MX, RFC 7505) has no addresses
            if (name.isPresent()) {
                names.add(name.get());
                lookups.add(dns.addresses(name.get(), client).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done -> {
            for (int i = 0; i < lookups.size(); i++) {
                DnsResult<InetAddress> r = lookups.get(i).join();
                if (!r.found() && !r.isVoid()) {
                    throw SpfAbort.temperror("DNS failure looking up " + names.get(i));
                }
                if (anyContains(r.records(), client, ip4Prefix, ip6Prefix)) {
                    return true;
                }
            }
            return false;
        });
    }

    private static boolean anyContains(List<InetAddress> found, InetAddress client, int ip4Prefix, int ip6Prefix) {
        byte[] c = client.getAddress();
        for (InetAddress address : found) {
            byte[] a = IpAddresses.clientBytes(address);
            if (new Network(a, a.length == 4 ? ip4Prefix : ip6Prefix).contains(c)) {
                return true;
            }
        }
        return false;
    }
}
