package dev.mta.mailauth.arch;

import dev.mta.testkit.arch.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The mailauth module's rules on its production classes: no package cycles, no sockets and no disk (DNS comes through
 * the DnsLookup interface, keys through their callers), so every check is a pure function of its inputs and answers.
 */
class MailauthArchitectureTest {
    @Test
    void noPackageCycles() {
        ArchitectureRules.noCyclesWithin("dev.mta.mailauth").check(ArchitectureRules.productionClasses("dev.mta.mailauth"));
    }

    @Test
    void usesNoSockets() {
        ArchitectureRules.usesNoSockets("dev.mta.mailauth").check(ArchitectureRules.productionClasses("dev.mta.mailauth"));
    }
}
