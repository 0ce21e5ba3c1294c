package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.PathParser;
import dev.mta.server.config.DomainList;
import dev.mta.server.config.RelayControl;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Relay access as a policy, on parsed paths: who may relay to where, and the recipient table. */
class RelayAccessTest {
    private static final RelayControl CONTROL = new RelayControl(RelayControl.networks("192.0.2.0/24"),
            DomainList.parse("ourdomain.example,.sub.example"), DomainList.parse("local.example"), null);

    private static MailPath path(String text) throws Exception {
        return PathParser.parse(text, 0, false, true).path();
    }

    private static Facts client(String ip) throws Exception {
        return new Facts(InetAddress.getByName(ip), false);
    }

    private static Verdict rcpt(RelayAccess policy, SessionFacts session, String path) throws Exception {
        return policy.onRcpt(session, new Tx(), path(path));
    }

    @Test
    void outsidersReachOnlyOurDomains() throws Exception {
        RelayAccess p = new RelayAccess(CONTROL, "mx.test", RelayRecipients.none());
        Facts outsider = client("198.51.100.1");
        assertSame(Verdict.ACCEPT, rcpt(p, outsider, "<user@ourdomain.example>"));
        assertSame(Verdict.ACCEPT, rcpt(p, outsider, "<user@OurDomain.Example>"));
        assertSame(Verdict.ACCEPT, rcpt(p, outsider, "<user@a.sub.example>"));
        assertSame(Verdict.ACCEPT, rcpt(p, outsider, "<user@local.example>"));
        assertSame(Verdict.ACCEPT, rcpt(p, outsider, "<@hop1.example,@hop2.example:user@ourdomain.example>"),
                "a source route is ignored and the final mailbox judged");
        assertSame(Verdict.ACCEPT, rcpt(p, outsider, "<Postmaster@mx.test>"), "our postmaster (RFC 5321 4.5.1)");
        for (String denied : List.of("<user@elsewhere.example>", "<user%other.example@ourdomain.example>",
                "<other.example!user@ourdomain.example>", "<\"user@other.example\"@ourdomain.example>",
                "<\"user\\@other.example\"@ourdomain.example>", "<\"user%other.example\"@ourdomain.example>",
                "<user@[192.0.2.1]>", "<user@[IPv6:2001:db8::1]>", "<user@ourdomain.example.evil.example>",
                "<user@xourdomain.example>", "<user@sub.example>", "<user@sub.ourdomain.example>",
                "<@ourdomain.example:user@elsewhere.example>", "<user%ourdomain.example@ourdomain.example>",
                "<user@mx.test>", "<user%elsewhere.example@local.example>")) {
            Verdict v = rcpt(p, outsider, denied);
            assertFalse(v.accepted(), denied);
            assertEquals("554 5.7.1 Relay access denied\r\n", wire(v), denied);
            assertFalse(v.countsAsError(), "a refusal, not a protocol error");
        }
        assertFalse(rcpt(p, new Facts(null, false), "<user@elsewhere.example>").accepted(), "an unknown client");
    }

    @Test
    void mynetworksAndAuthenticatedClientsRelayAnywhere() throws Exception {
        RelayAccess p = new RelayAccess(CONTROL, "mx.test", RelayRecipients.none());
        for (SessionFacts trusted : List.of(client("192.0.2.77"), new Facts(InetAddress.getByName("198.51.100.1"), true))) {
            for (String any : List.of("<user@elsewhere.example>", "<user%other.example@ourdomain.example>",
                    "<user@[192.0.2.1]>", "<\"a@b\"@elsewhere.example>", "<user@ourdomain.example>")) {
                assertSame(Verdict.ACCEPT, rcpt(p, trusted, any), any);
            }
        }
    }

    @Test
    void theRecipientTableChecksRelayDomainsForEveryone() throws Exception {
        RelayRecipients table = RelayRecipients.of(RecipientTable.parse(List.of("# known", "alice@ourdomain.example",
                "  Bob@OurDomain.example   # trailing comment", "", "@a.sub.example")));
        RelayAccess p = new RelayAccess(CONTROL, "mx.test", table);
        for (SessionFacts who : List.of(client("198.51.100.1"), client("192.0.2.1"))) {
            assertSame(Verdict.ACCEPT, rcpt(p, who, "<alice@ourdomain.example>"));
            assertSame(Verdict.ACCEPT, rcpt(p, who, "<ALICE@ourdomain.EXAMPLE>"));
            assertSame(Verdict.ACCEPT, rcpt(p, who, "<bob@ourdomain.example>"));
            assertSame(Verdict.ACCEPT, rcpt(p, who, "<anyone@a.sub.example>"), "a catch-all");
            assertSame(Verdict.ACCEPT, rcpt(p, who, "<anyone@local.example>"), "local domains are not in the table");
            Verdict v = rcpt(p, who, "<carol@ourdomain.example>");
            assertEquals("550 5.1.1 <carol@ourdomain.example>: Recipient address rejected: User unknown in relay "
                    + "recipient table\r\n", wire(v));
            assertFalse(rcpt(p, who, "<x@b.sub.example>").accepted());
        }
        // Swapped whole.
        table.replace(RecipientTable.parse(List.of("carol@ourdomain.example")));
        assertSame(Verdict.ACCEPT, rcpt(p, client("198.51.100.1"), "<carol@ourdomain.example>"));
        assertFalse(rcpt(p, client("198.51.100.1"), "<alice@ourdomain.example>").accepted());
        assertEquals(1, table.current().size());
    }

    @Test
    void badTableLinesAreNamed() {
        for (String bad : List.of("alice", "alice@", "alice@ourdomain.example.", "al ice@ourdomain.example")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RecipientTable.parse(List.of("# fine", "ok@ourdomain.example", bad)), bad);
            assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
        }
        assertEquals(3, RecipientTable.parse(List.of("a@x.example", "b@x.example #c", "@y.example", "a@X.example")).size());
    }

    @Test
    void destinations() throws Exception {
        RelayAccess p = new RelayAccess(CONTROL, "mx.test", RelayRecipients.none());
        assertEquals(RelayAccess.Destination.RELAY_DOMAIN, p.destination(path("<u@ourdomain.example>")));
        assertEquals(RelayAccess.Destination.LOCAL, p.destination(path("<u@local.example>")));
        assertEquals(RelayAccess.Destination.LOCAL, p.destination(path("<postmaster@MX.test>")));
        assertEquals(RelayAccess.Destination.ELSEWHERE, p.destination(path("<u@mx.test>")));
        assertEquals(RelayAccess.Destination.ELSEWHERE, p.destination(path("<u@[192.0.2.1]>")));
        assertTrue(RelayAccess.routesOn("a%b"));
        assertTrue(RelayAccess.routesOn("b!a"));
        assertTrue(RelayAccess.routesOn("\"a@b\""));
        assertFalse(RelayAccess.routesOn("first.last+tag"));
        assertFalse(RelayAccess.routesOn("\"first last\""));
    }

    private static String wire(Verdict v) {
        return new String(v.reply().wireBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private record Facts(InetAddress clientAddress, boolean authenticated) implements SessionFacts {
        @Override
        public String heloName() {
            return "client.test";
        }

        @Override
        public boolean esmtp() {
            return true;
        }

        @Override
        public boolean tlsActive() {
            return false;
        }
    }

    private record Tx() implements TransactionFacts {
        @Override
        public MailPath sender() {
            return new MailPath("me", "ourdomain.example", false);
        }

        @Override
        public MailParameters parameters() {
            return MailParameters.DEFAULT;
        }

        @Override
        public List<String> recipients() {
            return List.of();
        }

        @Override
        public int acceptedRecipients() {
            return 0;
        }
    }
}
