package dev.mta.mailauth.dmarc;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every fixture case against our evaluator: those the python3-authheaders witness also checks (witnessed.yaml, see
 * {@link DmarcWitnessTest}) and those worked out from RFC 9989 alone (rfc9989.yaml).
 */
class DmarcFixturesTest {

    @TestFactory
    Stream<DynamicTest> witnessedCases() {
        return cases("witnessed.yaml");
    }

    @TestFactory
    Stream<DynamicTest> rfc9989Cases() {
        return cases("rfc9989.yaml");
    }

    private static Stream<DynamicTest> cases(String file) {
        return DmarcFixture.load(file).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, verdict(c))));
    }

    static DmarcVerdict verdict(DmarcFixture c) throws Exception {
        return new DmarcEvaluator(c.fixtureDns()).evaluate(c.input()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static void check(DmarcFixture c, DmarcVerdict v) {
        DmarcFixture.Expect e = c.expect();
        String where = c.name() + (c.rfc() == null ? "" : " (RFC 9989 " + c.rfc() + ")") + ": " + v;
        assertEquals(e.result(), v.result().keyword(), where);
        if (e.policy() != null) {
            assertEquals(e.policy(), v.policy().name().toLowerCase(Locale.ROOT), where);
        }
        if (e.testing() != null) {
            assertEquals(e.testing(), v.testing(), where);
        }
        if (e.policyDomain() != null) {
            assertEquals(e.policyDomain(), v.policyDomain(), where);
        }
        if (e.org() != null) {
            assertEquals(e.org(), v.organizationalDomain(), where);
        }
        if (e.spfAligned() != null) {
            assertEquals(e.spfAligned(), v.spfAligned(), where);
        }
        if (e.dkimAligned() != null) {
            assertEquals(e.dkimAligned(), List.copyOf(v.dkimAligned()), where);
        }
    }
}
