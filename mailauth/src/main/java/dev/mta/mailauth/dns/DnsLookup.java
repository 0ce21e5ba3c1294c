package dev.mta.mailauth.dns;

import java.net.InetAddress;
import java.util.concurrent.CompletionStage;

/**
 * The DNS queries email authentication makes, answered asynchronously (never blocking the caller's thread). Names are
 * absolute, without a trailing dot, any case. The production implementation sends them through Netty's resolver with
 * a TTL-honouring cache; tests answer from fixtures.
 */
public interface DnsLookup {
    /** TXT records, each record's character-strings joined with nothing between them (RFC 7208 3.3, RFC 6376 3.6.2.2). */
    CompletionStage<DnsResult<String>> txt(String name);

    CompletionStage<DnsResult<InetAddress>> a(String name);

    CompletionStage<DnsResult<InetAddress>> aaaa(String name);

    CompletionStage<DnsResult<MxHost>> mx(String name);

    /** The names of {@code address}'s reverse (in-addr.arpa / ip6.arpa) PTR records. */
    CompletionStage<DnsResult<String>> ptr(InetAddress address);
}
