package dev.mta.mailauth.dkim;

import dev.mta.mailauth.results.AuthResult;

import java.util.List;

/**
 * The verdicts on a message's DKIM-Signature fields, top to bottom, and how many more there were past the limit,
 * left unevaluated. No results and none ignored: the message is unsigned (dkim=none).
 */
public record DkimResults(List<DkimResult> results, int ignored) {
    public DkimResults {
        results = List.copyOf(results);
    }

    /** Whether the message has any DKIM-Signature field at all. */
    public boolean signed() {
        return !results.isEmpty() || ignored > 0;
    }

    /** The d= of each passing signature, in order (what DMARC aligns with), repeats included. */
    public List<String> passingDomains() {
        return results.stream().filter(r -> r.result() == AuthResult.PASS).map(DkimResult::domain).toList();
    }
}
