package dev.mta.relay.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.mta.testkit.arch.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay module's rules on its production classes, and the transport rule shown failing on a planted class. */
class RelayArchitectureTest {
    private static final JavaClasses RELAY = ArchitectureRules.productionClasses("dev.mta.relay");

    @Test
    void noPackageCycles() {
        ArchitectureRules.noCyclesWithin("dev.mta.relay").check(RELAY);
    }

    @Test
    void transportsKnowOnlyTheQueuesModel() {
        ArchitectureRules.transportsKnowOnlyTheModel("dev.mta.relay.transport").check(RELAY);
    }

    @Test
    void aTransportTakingTheQueuesJobIsReported() {
        JavaClasses planted = ArchitectureRules.classesOf("dev.mta.archplant.relay");
        ArchRule rule = ArchitectureRules.transportsKnowOnlyTheModel("dev.mta.archplant.relay.transport");
        AssertionError e = assertThrows(AssertionError.class, () -> rule.check(planted));
        assertTrue(e.getMessage().contains("PlantedTransportReadingAJob") && e.getMessage().contains("DeliveryJob"),
                e.getMessage());
        assertFalse(e.getMessage().contains("PlantedTransportOnTheModel"), e.getMessage());
    }
}
