package dev.mta.server.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.mta.testkit.arch.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's rules on its production classes, and each shown failing on classes planted to break it. */
class ServerArchitectureTest {
    private static final JavaClasses SERVER = ArchitectureRules.productionClasses("dev.mta.server");

    @Test
    void sessionsDoNotTouchTheQueuesStorage() {
        ArchitectureRules.sessionsDoNotTouchQueueStorage("dev.mta.server.smtp", "dev.mta.server.policy",
                "dev.mta.server.pop3").check(SERVER);
    }

    /** Sessions and policies tell an {@code SmtpObserver} (POP3's a {@code Pop3Observer}); only server.metrics knows Micrometer. */
    static ArchRule sessionsKnowNoMetricsLibrary(String... packages) {
        return noClasses().that().resideInAnyPackage(packages).should().dependOnClassesThat()
                .resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .because("sessions report through SmtpObserver; the meters live in server.metrics");
    }

    @Test
    void sessionsKnowNoMetricsLibrary() {
        sessionsKnowNoMetricsLibrary("dev.mta.server.smtp..", "dev.mta.server.policy..", "dev.mta.server.pop3..")
                .check(SERVER);
    }

    @Test
    void aSessionCountingWithMicrometerIsReported() {
        JavaClasses planted = ArchitectureRules.classesOf("dev.mta.archplant.server");
        AssertionError e = assertThrows(AssertionError.class,
                () -> sessionsKnowNoMetricsLibrary("dev.mta.archplant.server.smtp..").check(planted));
        assertReported(e, "PlantedSessionCountingWithMicrometer", "io.micrometer.core.instrument.Counter");
    }

    @Test
    void noPackageCycles() {
        ArchitectureRules.noCyclesWithin("dev.mta.server").check(SERVER);
    }

    @Test
    void aSessionTouchingStorageIsReported() {
        JavaClasses planted = ArchitectureRules.classesOf("dev.mta.archplant.server");
        ArchRule rule = ArchitectureRules.sessionsDoNotTouchQueueStorage("dev.mta.archplant.server.smtp",
                "dev.mta.archplant.server.policy");
        AssertionError e = assertThrows(AssertionError.class, () -> rule.check(planted));
        assertReported(e, "PlantedSessionOpeningTheQueue", "dev.mta.queue.DurableQueue");
        assertReported(e, "PlantedPolicyReadingSegments", "dev.mta.queue.log.SegmentLog");
        assertTrue(!e.getMessage().contains("PlantedSessionThroughTheStore"),
                "the MessageStore, IncomingMessage and Envelope are what sessions use:\n" + e.getMessage());
    }

    private static void assertReported(AssertionError e, String from, String to) {
        assertTrue(Arrays.stream(e.getMessage().split("\n")).anyMatch(l -> l.contains(from) && l.contains(to)),
                () -> "no violation from " + from + " to " + to + " in:\n" + e.getMessage());
    }
}
