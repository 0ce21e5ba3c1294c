package dev.mta.server.smtp;

import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.policy.SessionFacts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The EHLO reply built per session, without a socket. */
class EhloCapabilitiesTest {
    private static final Session PLAIN = new Session(false);
    private static final Session TLS = new Session(true);

    @Test
    void todaysReplyByteForByte() {
        EhloCapabilities caps = EhloCapabilities.builder("mx.example", 36700160).build();
        String expected = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 36700160\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                + "250 ENHANCEDSTATUSCODES\r\n";
        assertEquals(expected, wire(caps.reply(PLAIN)));
        assertEquals(expected, wire(caps.reply(TLS)), "nothing to add or drop without TLS or AUTH configured");
    }

    @Test
    void theServersRepliesUseTheConfiguredNameAndSize() {
        ServerConfig config = ServerConfig.defaults().withLimits(1234, 10, 10);
        SmtpReply r = new ServerReplies(config).ehlo.reply(PLAIN);
        assertEquals(List.of(config.hostname(), "PIPELINING", "SIZE 1234", "8BITMIME", "SMTPUTF8",
                "ENHANCEDSTATUSCODES"), r.lines());
        assertEquals(null, r.status(), "no enhanced code in the EHLO reply (RFC 2034)");
    }

    @Test
    void repliesAreBuiltOnce() {
        EhloCapabilities caps = EhloCapabilities.builder("mx.example", 100).build();
        assertSame(caps.reply(PLAIN), caps.reply(new Session(false)));
        assertSame(caps.reply(TLS), caps.reply(new Session(true)));
    }

    @Test
    void startTlsIsOfferedUntilTlsIsOn() {
        EhloCapabilities caps = EhloCapabilities.builder("mx.example", 100).tlsAvailable(true).build();
        assertEquals(List.of("mx.example", "PIPELINING", "SIZE 100", "STARTTLS", "8BITMIME", "SMTPUTF8",
                "ENHANCEDSTATUSCODES"), caps.reply(PLAIN).lines());
        assertEquals(List.of("mx.example", "PIPELINING", "SIZE 100", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES"),
                caps.reply(TLS).lines());
    }

    @Test
    void authIsOfferedUnderTlsUnlessToldOtherwise() {
        EhloCapabilities caps = EhloCapabilities.builder("mx.example", 100).tlsAvailable(true)
                .authMechanisms(List.of("PLAIN", "LOGIN")).build();
        assertEquals(List.of("mx.example", "PIPELINING", "SIZE 100", "STARTTLS", "8BITMIME", "SMTPUTF8",
                "ENHANCEDSTATUSCODES"), caps.reply(PLAIN).lines());
        assertEquals(List.of("mx.example", "PIPELINING", "SIZE 100", "AUTH PLAIN LOGIN", "8BITMIME", "SMTPUTF8",
                "ENHANCEDSTATUSCODES"), caps.reply(TLS).lines());
        EhloCapabilities clear = EhloCapabilities.builder("mx.example", 100).authMechanisms(List.of("PLAIN"))
                .authNeedsTls(false).build();
        assertEquals(List.of("mx.example", "PIPELINING", "SIZE 100", "AUTH PLAIN", "8BITMIME", "SMTPUTF8",
                "ENHANCEDSTATUSCODES"), clear.reply(PLAIN).lines());
    }

    private static String wire(SmtpReply r) {
        return new String(r.wireBytes(), StandardCharsets.UTF_8);
    }

    private record Session(boolean tlsActive) implements SessionFacts {
        @Override
        public InetAddress clientAddress() {
            return null;
        }

        @Override
        public String heloName() {
            return "client.test";
        }

        @Override
        public boolean esmtp() {
            return true;
        }
    }
}
