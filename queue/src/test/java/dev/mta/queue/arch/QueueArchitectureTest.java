package dev.mta.queue.arch;

import dev.mta.testkit.arch.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The queue module's rules on its production classes (each rule is shown failing in the testkit's own tests). */
class QueueArchitectureTest {
    @Test
    void noPackageCycles() {
        ArchitectureRules.noCyclesWithin("dev.mta.queue").check(ArchitectureRules.productionClasses("dev.mta.queue"));
    }
}
