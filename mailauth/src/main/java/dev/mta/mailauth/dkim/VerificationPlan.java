package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.results.AuthResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One message's verification once its header section is known: the first {@code maxSignatures} DKIM-Signature
 * fields parsed (the rest only counted), a key lookup started at once for each that can be checked (one per
 * distinct name), a body hasher for each distinct c=/a=/l=, fed the body as it streams; at the end each signature's
 * check runs on the crypto executor as soon as its key has answered.
 */
final class VerificationPlan {
    private record BodyKey(Canonicalization canonicalization, DkimAlgorithm algorithm, long limit) {
    }

    /** One signature: its verdict already, or its hasher and key lookup. */
    private record Entry(ParsedSignature signature, DkimResult early, BodyHasher hasher,
                         CompletableFuture<SignatureCheck.KeyAnswer> key) {
    }

    private final List<HeaderField> headers;
    private final Executor crypto;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<BodyKey, BodyHasher> hashers = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<SignatureCheck.KeyAnswer>> lookups = new HashMap<>();
    private int ignored;

    /**
     * @param overflowed the header section was longer than the verifier keeps: its signatures cannot be checked
     */
    VerificationPlan(List<HeaderField> headers, boolean overflowed, DnsLookup dns, Executor crypto, int maxSignatures) {
        this.headers = headers;
        this.crypto = crypto;
        for (HeaderField f : headers) {
            if (!f.hasName("DKIM-Signature")) {
                continue;
            }
            if (entries.size() >= maxSignatures) {
                ignored++;
                continue;
            }
            entries.add(entry(SignatureParser.parse(f), overflowed, dns));
        }
    }

    private Entry entry(ParsedSignature parsed, boolean overflowed, DnsLookup dns) {
        if (parsed instanceof MalformedSignature m) {
            return early(parsed, AuthResult.NEUTRAL, m.reason());
        }
        DkimSignature s = (DkimSignature) parsed;
        if (!s.algorithm().acceptable()) {
            return early(s, AuthResult.FAIL, s.algorithm().tag() + " is not accepted (RFC 8301)");
        }
        if (overflowed) {
            return early(s, AuthResult.PERMERROR, "header section too big to verify");
        }
        long limit = s.bodyLength() >= 0 ? s.bodyLength() : BodyHasher.UNLIMITED;
        BodyHasher hasher = hashers.computeIfAbsent(new BodyKey(s.bodyCanonicalization(), s.algorithm(), limit),
                k -> new BodyHasher(k.canonicalization(), k.algorithm(), k.limit()));
        String name = HeaderCanonicalizer.asciiLower(s.keyName());
        return new Entry(s, null, hasher, lookups.computeIfAbsent(name, n -> lookup(dns, n)));
    }

    private static Entry early(ParsedSignature s, AuthResult result, String reason) {
        return new Entry(s, DkimResult.of(result, reason, s), null, null);
    }

    /** The TXT lookup as a future that always completes normally, whatever the lookup does. */
    private static CompletableFuture<SignatureCheck.KeyAnswer> lookup(DnsLookup dns, String name) {
        CompletableFuture<SignatureCheck.KeyAnswer> answer = new CompletableFuture<>();
        try {
            CompletionStage<DnsResult<String>> stage = dns.txt(name);
            stage.whenComplete((r, e) -> answer.complete(new SignatureCheck.KeyAnswer(e == null ? r : null, e)));
        } catch (RuntimeException e) {
            answer.complete(new SignatureCheck.KeyAnswer(null, e));
        }
        return answer;
    }

    void body(byte[] b, int off, int len) {
        for (BodyHasher h : hashers.values()) {
            h.update(b, off, len);
        }
    }

    /** Ends the body; the verdicts once every key has answered and every check has run. */
    CompletableFuture<DkimResults> finish(long now) {
        for (BodyHasher h : hashers.values()) {
            h.finish();
        }
        List<CompletableFuture<DkimResult>> results = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.early() != null) {
                results.add(CompletableFuture.completedFuture(e.early()));
                continue;
            }
            DkimSignature s = (DkimSignature) e.signature();
            byte[] bodyHash = e.hasher().finish();
            long bodyLength = e.hasher().canonicalLength();
            results.add(e.key().thenCompose(answer -> onWorker(s,
                    () -> SignatureCheck.check(s, answer, headers, bodyHash, bodyLength, now))));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> new DkimResults(results.stream().map(CompletableFuture::join).toList(), ignored));
    }

    private CompletableFuture<DkimResult> onWorker(DkimSignature s, Supplier<DkimResult> check) {
        CompletableFuture<DkimResult> f = new CompletableFuture<>();
        try {
            crypto.execute(() -> {
                try {
                    f.complete(check.get());
                } catch (Throwable t) {
                    f.complete(DkimResult.of(AuthResult.TEMPERROR, "verification failed: " + t, s));
                }
            });
        } catch (RuntimeException refused) {
            f.complete(DkimResult.of(AuthResult.TEMPERROR, "no worker to verify on", s));
        }
        return f;
    }
}
