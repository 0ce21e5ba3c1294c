package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.DnsLookup;
import dev.mta.mailauth.dns.DnsResult;
import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.dns.MxHost;
import dev.mta.mailauth.results.AuthResult;
import dev.mta.mailauth.results.AuthResultsBuilder;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The evaluator's edges: lookups that fail or throw, the verdict's disposition, its Authentication-Results entry. */
class DmarcEvaluatorTest {

    @Test
    void aFailedStageIsATemporaryError() throws Exception {
        DnsLookup broken = new Failing(false);
        DmarcVerdict v = evaluate(broken, new DmarcInput("example.com", null, List.of()));
        assertEquals(AuthResult.TEMPERROR, v.result());
        assertEquals("example.com", v.headerFrom());
    }

    @Test
    void aLookupThatThrowsIsATemporaryError() throws Exception {
        DmarcVerdict v = evaluate(new Failing(true), new DmarcInput("example.com", null, List.of()));
        assertEquals(AuthResult.TEMPERROR, v.result());
    }

    @Test
    void theStageCompletesWhenTheDnsAnswersLater() throws Exception {
        CompletableFuture<DnsResult<String>> later = new CompletableFuture<>();
        CompletableFuture<DmarcVerdict> v = new DmarcEvaluator(new Delayed(new FixtureDns(), later))
                .evaluate(new DmarcInput("example.com", null, List.of())).toCompletableFuture();
        assertEquals(false, v.isDone()); // nothing waited for the answer
        later.complete(DnsResult.found(List.of("v=DMARC1; p=reject")));
        assertEquals(Policy.REJECT, v.get(5, TimeUnit.SECONDS).disposition());
    }

    @Test
    void dispositionIsThePolicyOnlyOnFail() {
        DmarcVerdict fail = new DmarcVerdict(AuthResult.FAIL, "example.com", Policy.REJECT, false, "example.com",
                "example.com", false, List.of());
        DmarcVerdict pass = new DmarcVerdict(AuthResult.PASS, "example.com", Policy.REJECT, false, "example.com",
                "example.com", true, List.of());
        assertEquals(Policy.REJECT, fail.disposition());
        assertEquals(Policy.NONE, pass.disposition());
    }

    @Test
    void theVerdictAsAnAuthenticationResultsEntry() throws Exception {
        FixtureDns dns = new FixtureDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; t=y");
        DmarcVerdict v = evaluate(dns, new DmarcInput("Example.com", null, List.of()));
        assertEquals("Authentication-Results: mx.example.net;\r\n\tdmarc=fail header.from=example.com "
                        + "policy.dmarc=quarantine\r\n",
                new AuthResultsBuilder("mx.example.net").add(v.methodResult()).field());
        DmarcVerdict none = evaluate(new FixtureDns(), new DmarcInput("example.org", null, List.of()));
        assertEquals("Authentication-Results: mx.example.net;\r\n\tdmarc=none header.from=example.org\r\n",
                new AuthResultsBuilder("mx.example.net").add(none.methodResult()).field());
    }

    private static DmarcVerdict evaluate(DnsLookup dns, DmarcInput input) throws Exception {
        return new DmarcEvaluator(dns).evaluate(input).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The fixture's answers, but _dmarc.example.com's TXT when the test completes {@code later}. */
    private record Delayed(FixtureDns fixture, CompletableFuture<DnsResult<String>> later) implements DnsLookup {
        @Override
        public CompletionStage<DnsResult<String>> txt(String name) {
            return name.equals("_dmarc.example.com") ? later : fixture.txt(name);
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> a(String name) {
            return fixture.a(name);
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
            return fixture.aaaa(name);
        }

        @Override
        public CompletionStage<DnsResult<MxHost>> mx(String name) {
            return fixture.mx(name);
        }

        @Override
        public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
            return fixture.ptr(address);
        }
    }

    /** Every query fails: its stage completes exceptionally, or the call throws. */
    private record Failing(boolean throwing) implements DnsLookup {
        private <T> CompletionStage<DnsResult<T>> fail() {
            if (throwing) {
                throw new IllegalStateException("resolver closed");
            }
            return CompletableFuture.failedFuture(new java.io.IOException("timeout"));
        }

        @Override
        public CompletionStage<DnsResult<String>> txt(String name) {
            return fail();
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> a(String name) {
            return fail();
        }

        @Override
        public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
            return fail();
        }

        @Override
        public CompletionStage<DnsResult<MxHost>> mx(String name) {
            return fail();
        }

        @Override
        public CompletionStage<DnsResult<String>> ptr(InetAddress address) {
            return fail();
        }
    }
}
