package dev.mta.mailauth.arch;

import dev.mta.testkit.arch.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The mailauth module's rules on its production classes: no package cycles and no JDK sockets. The checks reach DNS
 * only through the DnsLookup interface (answered in production by Netty's resolver, in dns/ResolverDnsLookup) and get
 * keys as text from their callers, so each is a function of its inputs and the answers.
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
