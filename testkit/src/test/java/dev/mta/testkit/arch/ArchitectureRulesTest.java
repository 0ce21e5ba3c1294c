package dev.mta.testkit.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule fails on the classes planted to break it (dev.mta.archplant), so a passing check means something. */
class ArchitectureRulesTest {
    private static JavaClasses planted;

    @BeforeAll
    static void importPlanted() {
        planted = ArchitectureRules.classesOf("dev.mta.archplant");
    }

    /** Checks {@code rule} fails and that its report has a line naming both {@code from} and {@code to}. */
    static void assertReports(ArchRule rule, JavaClasses classes, String from, String to) {
        AssertionError e = assertThrows(AssertionError.class, () -> rule.check(classes));
        assertTrue(Arrays.stream(e.getMessage().split("\n")).anyMatch(l -> l.contains(from) && l.contains(to)),
                () -> "no violation from " + from + " to " + to + " in:\n" + e.getMessage());
    }

    @Test
    void socketsInTheProtocolAreReported() {
        ArchRule rule = ArchitectureRules.usesNoSockets("dev.mta.archplant.protocol");
        assertReports(rule, planted, "PlantedSocketUser", "java.net.Socket");
        assertReports(rule, planted, "PlantedSocketChannelUser", "java.nio.channels.SocketChannel");
    }

    @Test
    void diskInTheProtocolIsReported() {
        assertReports(ArchitectureRules.usesNoDisk("dev.mta.archplant.protocol"), planted,
                "PlantedDiskUser", "java.nio.file.Files");
    }

    @Test
    void nettyBeyondCodecsIsReported() {
        ArchRule rule = ArchitectureRules.usesOnlyCodecNettyTypes("dev.mta.archplant.protocol");
        assertReports(rule, planted, "PlantedTransportUser", "io.netty.bootstrap.Bootstrap");
        assertReports(rule, planted, "PlantedTransportUser", "io.netty.channel.EventLoopGroup");
        assertReports(rule, planted, "PlantedTransportUser", "io.netty.channel.socket.nio.NioSocketChannel");
        assertReports(rule, planted, "PlantedAutoReadDecoder", "io.netty.channel.Channel.config()");
        assertReports(rule, planted, "PlantedAutoReadDecoder", "io.netty.channel.ChannelConfig.setAutoRead(boolean)");
    }

    @Test
    void whatACodecNeedsPassesEveryProtocolRule() {
        ArchitectureRules.usesNoSockets("dev.mta.archplant.codec").check(planted);
        ArchitectureRules.usesNoDisk("dev.mta.archplant.codec").check(planted);
        ArchitectureRules.usesOnlyCodecNettyTypes("dev.mta.archplant.codec").check(planted);
    }

    @Test
    void packageCyclesAreReported() {
        assertReports(ArchitectureRules.noCyclesWithin("dev.mta.archplant.cycle"), planted,
                "PlantedA", "dev.mta.archplant.cycle.b.PlantedB");
    }

    @Test
    void cyclesThroughTheRootPackageAreReported() {
        assertReports(ArchitectureRules.noCyclesWithin("dev.mta.archplant.cycleroot"), planted,
                "PlantedSub", "dev.mta.archplant.cycleroot.PlantedRoot");
    }

    @Test
    void modulesWithoutCyclesPass() {
        ArchitectureRules.noCyclesWithin("dev.mta.archplant.protocol").check(planted);
    }
}
