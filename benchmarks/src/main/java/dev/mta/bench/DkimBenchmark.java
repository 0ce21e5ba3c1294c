package dev.mta.bench;

import dev.mta.mailauth.dkim.BodyHasher;
import dev.mta.mailauth.dkim.Canonicalization;
import dev.mta.mailauth.dkim.DkimAlgorithm;
import dev.mta.mailauth.dkim.DkimResult;
import dev.mta.mailauth.dkim.DkimResults;
import dev.mta.mailauth.dkim.DkimSigner;
import dev.mta.mailauth.dkim.DkimSigningKey;
import dev.mta.mailauth.dkim.DkimVerifier;
import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.dns.MxHost;
import dev.mta.mailauth.results.AuthResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * DKIM cost per message: signing (header parse, relaxed body hash, signature) and verifying (the same plus the key
 * record's parse and the check) with RSA-2048 or Ed25519, 10 KB or 100 KB bodies, and the relaxed body hash alone,
 * which is the same for both algorithms (SHA-256), so that sign or verify minus it is the rest.
 *
 * <pre>java -jar benchmarks/target/mta-bench.jar jmh DkimBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DkimBenchmark {
    private static final String DOMAIN = "example.com";
    private static final String SELECTOR = "bench";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_750_000_000L), ZoneOffset.UTC);

    /** The header section of an ordinary message that crossed two relays, ending with its empty line. */
    private static final String HEADER = String.join("\r\n",
            "Return-Path: <alice@example.com>",
            "Received: from mail.example.com (mail.example.com [192.0.2.10])",
            "\tby mx.example.net with ESMTPS id 4Xk2Lp0QzTz9sXw",
            "\tfor <bob@example.net>; Mon, 2 Jun 2025 10:00:02 +0000",
            "Received: from [10.0.0.23] (laptop.internal [10.0.0.23])",
            "\tby mail.example.com with ESMTPSA id 1a2b3c4d5e",
            "\tfor <bob@example.net>; Mon, 2 Jun 2025 10:00:01 +0000",
            "From: Alice Example <alice@example.com>",
            "To: Bob Example <bob@example.net>",
            "Cc: Carol Example <carol@example.org>",
            "Subject: Re: minutes of Thursday's meeting and the budget for next quarter",
            "Date: Mon, 2 Jun 2025 10:00:00 +0000",
            "Message-ID: <6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1e7c30@example.com>",
            "In-Reply-To: <a41d7e90-12c3-4f6b-8d2e-5b9c0f3a6e11@example.net>",
            "References: <a41d7e90-12c3-4f6b-8d2e-5b9c0f3a6e11@example.net>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8; format=flowed",
            "Content-Transfer-Encoding: 8bit",
            "User-Agent: Mozilla Thunderbird",
            "", "");

    private static final String[] WORDS = ("the of and to a in that is was for on it with as be at by this had not are "
            + "but from or have an they which one you were her all she there would their we him been has when who "
            + "will more no if out so said what up its about into than them can only other new some could time these "
            + "two may then do first any my now such like our over man me even most made after also did many before "
            + "must through back years where much your way well down should because each just those people how too "
            + "meeting budget quarter report delivery schedule customer invoice attached review agreed minutes").split(" ");

    /** A message's body of {@code size} octets; only the size varies. */
    @State(Scope.Benchmark)
    public static class Body {
        @Param({"10240", "102400"})
        public int size;

        byte[] body;

        @Setup(Level.Trial)
        public void make() {
            body = textBody(size);
        }
    }

    /** A key, a message of a normal header and the body, and that message signed, for each algorithm and size. */
    @State(Scope.Benchmark)
    public static class Mail {
        @Param({"rsa-2048", "ed25519"})
        public String algorithm;

        @Param({"10240", "102400"})
        public int size;

        DkimSigner signer;
        DkimVerifier verifier;
        byte[] message;
        byte[] signed;

        @Setup(Level.Trial)
        public void make() {
            DkimSigningKey key = switch (algorithm) {
                case "rsa-2048" -> DkimSigningKey.generateRsa(2048);
                case "ed25519" -> DkimSigningKey.generateEd25519();
                default -> throw new IllegalArgumentException("algorithm " + algorithm);
            };
            signer = new DkimSigner(key, DOMAIN, SELECTOR, CLOCK);
            // The checks on the benchmark's thread: a worker pool's hand-off is not DKIM's cost.
            verifier = new DkimVerifier(new KeyOnly(SELECTOR + "._domainkey." + DOMAIN, key.dnsRecord()), Runnable::run,
                    CLOCK, DkimVerifier.DEFAULT_MAX_SIGNATURES);
            message = concat(HEADER.getBytes(StandardCharsets.US_ASCII), textBody(size));
            signed = concat(signer.sign(message).getBytes(StandardCharsets.US_ASCII), message);
            // Timing a verification that fails early would measure the wrong thing.
            List<DkimResult> results = verifyNow(verifier, signed).results();
            if (results.size() != 1 || results.get(0).result() != AuthResult.PASS) {
                throw new IllegalStateException("the benchmark's own signature does not verify: " + results);
            }
        }
    }

    /** Sign one message held in memory: its DKIM-Signature field. */
    @Benchmark
    public String sign(Mail m) {
        return m.signer.sign(m.message);
    }

    /** Verify one signed message, its key answered from memory. */
    @Benchmark
    public DkimResults verify(Mail m) {
        return verifyNow(m.verifier, m.signed);
    }

    /** The relaxed SHA-256 body hash alone; divide by size / 1024 for the cost per KB. */
    @Benchmark
    public byte[] bodyHash(Body b) {
        BodyHasher h = new BodyHasher(Canonicalization.RELAXED, DkimAlgorithm.RSA_SHA256);
        h.update(b.body, 0, b.body.length);
        return h.finish();
    }

    private static DkimResults verifyNow(DkimVerifier verifier, byte[] signed) {
        // Already complete: the key answers at once and the check runs inline, so join never waits.
        return verifier.verify(signed).toCompletableFuture().join();
    }

    /**
     * {@code size} octets of plain text as mail clients send it: lines of up to 76 characters, paragraphs between
     * empty lines, now and then a trailing space (which relaxed canonicalization strips), CRLF line ends. The same
     * text every run (a fixed seed).
     */
    static byte[] textBody(int size) {
        Random random = new Random(size);
        StringBuilder text = new StringBuilder(size + 80);
        StringBuilder line = new StringBuilder(80);
        int linesInParagraph = 0;
        while (text.length() < size) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (line.length() + 1 + word.length() > 76) {
                if (random.nextInt(8) == 0) {
                    line.append(' ');
                }
                text.append(line).append("\r\n");
                line.setLength(0);
                if (++linesInParagraph > 3 + random.nextInt(6)) {
                    text.append("\r\n");
                    linesInParagraph = 0;
                }
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        // Exactly size octets, ending in CRLF as a message body does; no lone CR where the cut fell.
        text.setLength(size - 2);
        if (text.charAt(text.length() - 1) == '\r') {
            text.setCharAt(text.length() - 1, '.');
        }
        text.append("\r\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Answers one TXT name from memory with the key record; every other query finds nothing. */
    private record KeyOnly(String name, String record) implements DnsLookup {
        @Override
        public CompletionStage<DnsResult<String>> txt(String query) {
            return CompletableFuture.completedFuture(
                    query.equalsIgnoreCase(name) ? DnsResult.found(List.of(record)) : DnsResult.nxdomain());
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> a(String query) {
            return CompletableFuture.completedFuture(DnsResult.nxdomain());
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> aaaa(String query) {
            return CompletableFuture.completedFuture(DnsResult.nxdomain());
        }

        @Override
        public CompletionStage<DnsResult<MxHost>> mx(String query) {
            return CompletableFuture.completedFuture(DnsResult.nxdomain());
        }

        @Override
        public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
            return CompletableFuture.completedFuture(DnsResult.nxdomain());
        }
    }
}
