package dev.mta.testkit.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The protocol module's rules, checked against its production classes here: the protocol module cannot use the
 * testkit in its own tests (the testkit depends on it), and this is the module that sees both.
 */
class ProtocolArchitectureTest {
    private static final String PROTOCOL = "dev.mta.protocol";

    /**
     * Found when the rule was written, and reported rather than allowed: the frame decoder reaches the
     * {@code Channel} behind its context to turn auto-read off and on (pause/resume) and to see whether the channel
     * is still open. Every other Netty type beyond a codec's fails the test, and so does this list once the decoder
     * no longer needs it (then empty it).
     */
    private static final Set<String> KNOWN_NETTY_VIOLATIONS = new TreeSet<>(Set.of(
            "Method <dev.mta.protocol.codec.SmtpFrameDecoder.decodeLoop()> calls method <io.netty.channel.Channel.isActive()>",
            "Method <dev.mta.protocol.codec.SmtpFrameDecoder.pause()> calls method <io.netty.channel.Channel.config()>",
            "Method <dev.mta.protocol.codec.SmtpFrameDecoder.pause()> calls method <io.netty.channel.ChannelConfig.setAutoRead(boolean)>",
            "Method <dev.mta.protocol.codec.SmtpFrameDecoder.resume()> calls method <io.netty.channel.Channel.config()>",
            "Method <dev.mta.protocol.codec.SmtpFrameDecoder.resume()> calls method <io.netty.channel.ChannelConfig.setAutoRead(boolean)>"));

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
        assertEquals(KNOWN_NETTY_VIOLATIONS,
                ArchitectureRules.violations(ArchitectureRules.usesOnlyCodecNettyTypes(PROTOCOL), protocol));
    }

    @Test
    void noPackageCycles() {
        ArchitectureRules.noCyclesWithin(PROTOCOL).check(protocol);
    }
}
