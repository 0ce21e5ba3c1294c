package dev.mta.relay.arch;

import dev.mta.testkit.arch.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The relay module's rules on its production classes (each rule is shown failing in the testkit's own tests). */
class RelayArchitectureTest {
    @Test
    void noPackageCycles() {
        ArchitectureRules.noCyclesWithin("dev.mta.relay").check(ArchitectureRules.productionClasses("dev.mta.relay"));
    }
}
