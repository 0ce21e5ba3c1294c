package dev.mta.mailauth.spf;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The explanation of a fail (RFC 7208 6.2): the single TXT record at the exp= target, macro-expanded. Whatever goes
 * wrong with it (no target, DNS errors, no record or several, bad text) gives the default explanation instead, never
 * another result; its lookups count against no limit.
 */
final class Explanation {
    private final Resolver dns;
    private final TargetNames targets;
    private final MacroString defaultText;

    Explanation(Resolver dns, TargetNames targets, MacroString defaultText) {
        this.dns = dns;
        this.targets = targets;
        this.defaultText = defaultText;
    }

    CompletionStage<String> of(SpfRecord record, MacroValues values) {
        if (record.explanation().isEmpty()) {
            return CompletableFuture.completedFuture(fallback(values));
        }
        return targets.resolve(record.explanation(), values, false)
                .thenCompose(name -> name.isEmpty()
                        ? CompletableFuture.completedFuture(Optional.<String>empty())
                        : dns.txt(name.get()).thenCompose(txt -> txt.found() && txt.records().size() == 1
                                ? expand(txt.records().get(0), values)
                                : CompletableFuture.completedFuture(Optional.empty())))
                .thenApply(text -> text.orElseGet(() -> fallback(values)))
                .exceptionally(e -> fallback(values));
    }

    /** The explanation-string: printable ASCII only, macro letters c, r and t allowed. */
    private CompletionStage<Optional<String>> expand(String text, MacroValues values) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < ' ' || text.charAt(i) > '~') {
                return CompletableFuture.completedFuture(Optional.empty());
            }
        }
        Optional<MacroString> parsed = MacroParser.explanation(text);
        if (parsed.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        MacroString s = parsed.get();
        if (!s.uses('p')) {
            return CompletableFuture.completedFuture(Optional.of(MacroExpander.expand(s, values)));
        }
        return ValidatedNames.forMacro(dns, values.ip(), values.domain())
                .thenApply(p -> Optional.of(MacroExpander.expand(s, values.withValidated(p))));
    }

    private String fallback(MacroValues values) {
        return MacroExpander.expand(defaultText, values);
    }
}
