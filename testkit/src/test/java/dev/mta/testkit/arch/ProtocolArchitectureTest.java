package dev.mta.testkit.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol module's rules, checked against its production classes here: the protocol module cannot use the
 * testkit in its own tests (the testkit depends on it), and this is the module that sees both.
 */
class ProtocolArchitectureTest {
    private static final String PROTOCOL = "dev.mta.protocol";

    private static JavaClasses protocol;

    @BeforeAll
    static void importProtocol() {
        protocol = ArchitectureRules.productionClasses(PROTOCOL);
    }

    @Test
    void noSockets() {
        ArchitectureRules.usesNoSockets(PROTOCOL).check(protocol);
    }

    @Test
    void noDisk() {
        ArchitectureRules.usesNoDisk(PROTOCOL).check(protocol);
    }

    @Test
    void nettyOnlyAsFarAsCodecsNeedIt() {
        ArchitectureRules.usesOnlyCodecNettyTypes(PROTOCOL).check(protocol);
    }

    @Test
    void noPackageCycles() {
        ArchitectureRules.noCyclesWithin(PROTOCOL).check(protocol);
    }
}
