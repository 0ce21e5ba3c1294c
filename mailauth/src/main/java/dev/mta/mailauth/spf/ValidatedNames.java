package dev.mta.mailauth.spf;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * The client's validated domain names (RFC 7208 5.5), for the ptr mechanism and the %{p} macro: reverse names whose
 * forward lookup gives the client's address back.
 */
final class ValidatedNames {
    private ValidatedNames() {
    }

    /**
     * The names, among the first 10 PTR names of {@code client}, that {@code wanted} accepts and that validate, in PTR
     * order. A failed PTR lookup validates nothing, and a name whose address lookup fails is skipped (5.5).
     */
    static CompletionStage<List<String>> find(Resolver dns, InetAddress client, Predicate<String> wanted) {
        byte[] clientBytes = client.getAddress();
        return dns.ptr(client).thenCompose(ptr -> {
            List<String> names = new ArrayList<>();
            List<CompletableFuture<Boolean>> checks = new ArrayList<>();
            for (String record : ptr.records().subList(0, Math.min(ptr.records().size(),
                    LookupLimits.MAX_PTR_NAMES))) {
                String name = DomainNames.withoutTrailingDot(record);
                Optional<String> query = DomainNames.forQuery(name);
                if (query.isEmpty() || !wanted.test(name)) {
                    continue;
                }
                names.add(name);
                checks.add(dns.addresses(query.get(), client).thenApply(r -> r.records().stream()
                        .anyMatch(a -> Arrays.equals(IpAddresses.clientBytes(a), clientBytes)))
                        .toCompletableFuture());
            }
            return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<String> valid = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    if (checks.get(i).join()) {
                        valid.add(names.get(i));
                    }
                }
                return valid;
            });
        });
    }

    /**
     * The %{p} value (RFC 7208 7.3): {@code domain} itself if validated, else a validated subdomain of it, else any
     * validated name, else "unknown".
     */
    static CompletionStage<String> forMacro(Resolver dns, InetAddress client, String domain) {
        return find(dns, client, name -> true).thenApply(valid -> {
            for (String name : valid) {
                if (name.equalsIgnoreCase(domain)) {
                    return name;
                }
            }
            for (String name : valid) {
                if (DomainNames.isWithin(name, domain)) {
                    return name;
                }
            }
            return valid.isEmpty() ? "unknown" : valid.get(0);
        });
    }
}
