package dev.mta.mailauth.spf;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.dns.MxHost;
import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpfCheckerTest {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spf-test-timer");
        t.setDaemon(true);
        return t;
    });
    private static final InetAddress CLIENT = IpAddresses.parse("192.0.2.10");
    private static final SpfSettings SETTINGS = SpfSettings.defaults("mx.receiver.example");

    @AfterAll
    static void stopTimer() {
        TIMER.shutdownNow();
    }

    @Test
    void mailFromPassReportsDomainAndIdentity() throws Exception {
        FixtureDns dns = new FixtureDns().txt("example.com", "some other text", "v=spf1 ip4:192.0.2.0/24 -all");
        SpfResult r = check(dns, SETTINGS).checkMailFrom(CLIENT, "user@Example.com", "mail.example.com")
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(AuthResult.PASS, r.result());
        assertEquals("Example.com", r.domain());
        assertEquals("user@Example.com", r.sender());
        assertEquals("smtp.mailfrom", r.identity().property());
        assertEquals(Optional.empty(), r.explanation());
        assertEquals(Optional.empty(), r.problem());
    }

    @Test
    void nullSenderIsPostmasterAtHelo() throws Exception {
        FixtureDns dns = new FixtureDns().txt("mail.example.org", "v=spf1 a -all").a("mail.example.org", "192.0.2.10");
        SpfResult r = get(check(dns, SETTINGS).checkMailFrom(CLIENT, "", "mail.example.org"));
        assertEquals(AuthResult.PASS, r.result());
        assertEquals(SpfIdentity.MAILFROM, r.identity());
        assertEquals("mail.example.org", r.domain());
        assertEquals("postmaster@mail.example.org", r.sender());
    }

    @Test
    void heloCheck() throws Exception {
        FixtureDns dns = new FixtureDns().txt("mail.example.org", "v=spf1 -all exp=why.example.org")
                .txt("why.example.org", "%{h} is not %{i}");
        SpfResult r = get(check(dns, SETTINGS).checkHelo(CLIENT, "mail.example.org"));
        assertEquals(AuthResult.FAIL, r.result());
        assertEquals("smtp.helo", r.identity().property());
        assertEquals(Optional.of("mail.example.org is not 192.0.2.10"), r.explanation());
        assertEquals(AuthResult.NONE, get(check(dns, SETTINGS).checkHelo(CLIENT, "[192.0.2.10]")).result());
        assertEquals(AuthResult.NONE, get(check(dns, SETTINGS).checkHelo(CLIENT, "localhost")).result());
        assertEquals(AuthResult.NONE, get(check(dns, SETTINGS).checkHelo(CLIENT, null)).result());
    }

    @Test
    void defaultExplanationIsExpanded() throws Exception {
        FixtureDns dns = new FixtureDns().txt("example.com", "v=spf1 -all");
        SpfResult r = get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@example.com", "h.example.com"));
        assertEquals(Optional.of("192.0.2.10 is not allowed to send mail from example.com"), r.explanation());
    }

    @Test
    void oversizedTxtIsPermerrorAndFailureTemperror() throws Exception {
        FixtureDns dns = new FixtureDns().tooBig("big.example").tempfail("down.example");
        assertEquals(AuthResult.PERMERROR, get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@big.example", "h"))
                .result());
        SpfResult down = get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@down.example", "h"));
        assertEquals(AuthResult.TEMPERROR, down.result());
        assertTrue(down.problem().isPresent());
    }

    @Test
    void noRecordIsNoneAndSeveralArePermerror() throws Exception {
        FixtureDns dns = new FixtureDns().txt("two.example", "v=spf1 -all", "v=spf1 +all")
                .txt("other.example", "google-site-verification=x");
        assertEquals(AuthResult.NONE, get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@nx.example", "h")).result());
        assertEquals(AuthResult.NONE, get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@other.example", "h"))
                .result());
        assertEquals(AuthResult.PERMERROR, get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@two.example", "h"))
                .result());
    }

    @Test
    void aLookupThatThrowsIsTemperror() throws Exception {
        DnsLookup broken = new Forwarding(new FixtureDns().txt("example.com", "v=spf1 a -all")) {
                    @Override
                    public CompletionStage<DnsResult<InetAddress>> a(String name) {
                        throw new IllegalStateException("resolver bug");
                    }
                };
        assertEquals(AuthResult.TEMPERROR, get(check(broken, SETTINGS).checkMailFrom(CLIENT, "a@example.com", "h"))
                .result());
    }

    @Test
    void theTimeBudgetGivesTemperror() throws Exception {
        DnsLookup silent = new Forwarding(new FixtureDns()) {
            @Override
            public CompletionStage<DnsResult<String>> txt(String name) {
                return new CompletableFuture<>(); // never answers
            }
        };
        long start = System.nanoTime();
        SpfResult r = get(check(silent, SETTINGS.withTimeBudget(Duration.ofMillis(100)))
                .checkMailFrom(CLIENT, "a@example.com", "h"));
        assertEquals(AuthResult.TEMPERROR, r.result());
        assertEquals(Optional.of("time limit exceeded"), r.problem());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
    }

    @Test
    void noQueryIsSentOnceTheBudgetIsSpent() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        Executor late = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);
        FixtureDns fixture = new FixtureDns().txt("example.com", "v=spf1 a mx -all");
        DnsLookup slow = new Forwarding(fixture) {
            @Override
            public CompletionStage<DnsResult<String>> txt(String name) {
                queries.incrementAndGet();
                return CompletableFuture.supplyAsync(() -> fixture.txt(name).toCompletableFuture().join(), late);
            }

            @Override
            public CompletionStage<DnsResult<InetAddress>> a(String name) {
                queries.incrementAndGet();
                return super.a(name);
            }
        };
        SpfResult r = get(check(slow, SETTINGS.withTimeBudget(Duration.ofMillis(50)))
                .checkMailFrom(CLIENT, "a@example.com", "h"));
        assertEquals(AuthResult.TEMPERROR, r.result());
        Thread.sleep(600);
        assertEquals(1, queries.get());
    }

    @Test
    void answersOnOtherThreadsAreComposed() throws Exception {
        FixtureDns fixture = new FixtureDns().txt("example.com", "v=spf1 include:_spf.example.net -all")
                .txt("_spf.example.net", "v=spf1 mx:example.net ~all").mx("example.net", 10, "mx1.example.net")
                .a("mx1.example.net", "192.0.2.10");
        Executor pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        DnsLookup async = new Forwarding(fixture) {
            @Override
            public CompletionStage<DnsResult<String>> txt(String name) {
                return CompletableFuture.supplyAsync(() -> fixture.txt(name).toCompletableFuture().join(), pool);
            }

            @Override
            public CompletionStage<DnsResult<MxHost>> mx(String name) {
                return CompletableFuture.supplyAsync(() -> fixture.mx(name).toCompletableFuture().join(), pool);
            }
        };
        assertEquals(AuthResult.PASS, get(check(async, SETTINGS).checkMailFrom(CLIENT, "a@example.com", "h"))
                .result());
    }

    @Test
    void aLongRecordAnsweredAtOnceKeepsTheStackShallow() throws Exception {
        StringBuilder record = new StringBuilder("v=spf1");
        for (int i = 0; i < 5000; i++) {
            record.append(" ip4:10.").append(i / 250).append('.').append(i % 250).append(".1");
        }
        FixtureDns dns = new FixtureDns().txt("example.com", record + " exists:%{i}.x.example.com -all");
        SpfResult r = get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@example.com", "h"));
        assertEquals(AuthResult.FAIL, r.result());
    }

    @Test
    void includeChainsCountAgainstTheLimit() throws Exception {
        FixtureDns dns = new FixtureDns();
        for (int i = 0; i < 12; i++) {
            dns.txt("d" + i + ".example", "v=spf1 include:d" + (i + 1) + ".example -all");
        }
        dns.txt("d12.example", "v=spf1 +all");
        SpfResult r = get(check(dns, SETTINGS).checkMailFrom(CLIENT, "a@d0.example", "h"));
        assertEquals(AuthResult.PERMERROR, r.result());
        assertEquals(Optional.of("more than 10 DNS-querying terms"), r.problem());
    }

    private static SpfChecker check(DnsLookup dns, SpfSettings settings) {
        return new SpfChecker(dns, TIMER, settings);
    }

    private static SpfResult get(CompletionStage<SpfResult> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Hands every query on; tests override the ones they change. */
    private static class Forwarding implements DnsLookup {
        private final DnsLookup to;

        Forwarding(DnsLookup to) {
            this.to = to;
        }

        @Override
        public CompletionStage<DnsResult<String>> txt(String name) {
            return to.txt(name);
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> a(String name) {
            return to.a(name);
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
            return to.aaaa(name);
        }

        @Override
        public CompletionStage<DnsResult<MxHost>> mx(String name) {
            return to.mx(name);
        }

        @Override
        public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
            return to.ptr(address);
        }
    }
}
