package dev.mta.mailauth.spf;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Finds a domain's SPF record (RFC 7208 4.4, 4.5): TXT records only (type SPF is not asked for, 3.1), and exactly one
 * of them starting "v=spf1".
 */
final class RecordLookup {
    private RecordLookup() {
    }

    /** The record's text; empty when the domain has none (result "none"); SpfAbort on DNS errors or several records. */
    static CompletionStage<Optional<String>> find(Resolver dns, String domain) {
        return dns.txt(domain).thenApply(answer -> switch (answer.status()) {
            case TEMPFAIL -> throw SpfAbort.temperror("DNS failure looking up TXT of " + domain);
            case TOO_BIG -> throw SpfAbort.permerror("TXT answer of " + domain + " too big");
            case NXDOMAIN, NODATA -> Optional.empty();
            case FOUND -> select(answer.records(), domain);
        });
    }

    private static Optional<String> select(List<String> txt, String domain) {
        List<String> spf = txt.stream().filter(SpfRecordParser::isSpfRecord).toList();
        if (spf.size() > 1) {
            throw SpfAbort.permerror(domain + " has " + spf.size() + " SPF records");
        }
        return spf.stream().findFirst();
    }
}
