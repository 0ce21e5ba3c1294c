package dev.mta.server.policy;

import dev.mta.mailbox.aliases.AliasFile;
import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.config.AddressQueries;
import dev.mta.server.config.DomainList;
import dev.mta.server.config.RelayControl;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local recipients as a policy: RCPT for users, aliases and postmaster; VRFY and EXPN under each setting. */
class LocalRecipientsTest {
    private static final RelayRules RULES = RelayRules.of(new RelayControl(RelayControl.networks("192.0.2.0/24"),
            DomainList.NONE, DomainList.parse("example.net, example.org"), null));
    private static final LocalDirectory DIRECTORY = new LocalDirectory(
            n -> Map.of("alice", "alice", "bob", "Bob").get(LocalDirectory.key(n)),
            AliasFile.parse(Path.of("aliases"), "postmaster: alice\nteam: alice, bob@example.org, carol@remote.example\n"));
    private static final LocalDomains DOMAINS = new LocalDomains(RULES, "mx.example.net", "double-bounce@mx.example.net");

    private static LocalRecipients policy(AddressQueries q) {
        return new LocalRecipients(DOMAINS, DIRECTORY, q, RULES);
    }

    private static final SessionFacts TRUSTED = facts("192.0.2.7");
    private static final SessionFacts STRANGER = facts("198.51.100.7");

    private static SessionFacts facts(String ip) {
        try {
            InetAddress a = InetAddress.getByName(ip);
            return new SessionFacts() {
                public InetAddress clientAddress() {
                    return a;
                }

                public String heloName() {
                    return "client.test";
                }

                public boolean esmtp() {
                    return true;
                }

                public boolean tlsActive() {
                    return false;
                }
            };
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String text(SmtpReply r) {
        return new String(r.wireBytes(), StandardCharsets.UTF_8);
    }

    private static Verdict rcpt(LocalRecipients p, String local, String domain) {
        return p.onRcpt(STRANGER, null, new MailPath(local, domain, false));
    }

    @Test
    void rcptTakesUsersAliasesAndPostmasterAndRefusesOthersWith550() {
        LocalRecipients p = policy(AddressQueries.OFF);
        assertTrue(rcpt(p, "ALICE", "Example.Net").accepted());
        assertTrue(rcpt(p, "bob", "example.org").accepted());
        assertTrue(rcpt(p, "team", "example.net").accepted());
        assertTrue(rcpt(p, "PostMaster", "mx.example.net").accepted(), "our own postmaster");
        Verdict v = rcpt(p, "nobody", "example.net");
        assertFalse(v.accepted());
        assertEquals("550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient table\r\n",
                text(v.reply()));
        assertTrue(rcpt(p, "nobody", "remote.example").accepted(), "not ours to judge: relay control's");
        assertTrue(rcpt(p, "double-bounce", "mx.example.net").accepted(), "our probes' sender");
    }

    @Test
    void withoutLocalDomainsOurPostmasterIsNotDeliveredHere() {
        RelayRules none = RelayRules.of(new RelayControl(RelayControl.networks("192.0.2.0/24"), DomainList.NONE,
                DomainList.NONE, null));
        LocalDomains d = new LocalDomains(none, "mx.example.net", "");
        assertFalse(d.isLocal(new MailPath("postmaster", "mx.example.net", false)));
        assertTrue(DOMAINS.isLocal(new MailPath("postmaster", "mx.example.net", false)));
        assertEquals("example.net", DOMAINS.homeOf("mx.example.net"), "the first local domain");
        assertEquals("example.org", DOMAINS.homeOf("EXAMPLE.org".toLowerCase()));
    }

    @Test
    void vrfyOffSaysNothingAndLocalTellsOnlyAboutTheLocalDomains() {
        assertEquals(252, policy(AddressQueries.OFF).onVrfy(STRANGER, "alice").code());
        LocalRecipients p = policy(new AddressQueries(AddressQueries.Vrfy.LOCAL, AddressQueries.Expn.OFF, false));
        assertEquals("250 2.1.5 <alice@example.net>\r\n", text(p.onVrfy(STRANGER, "alice")));
        assertEquals("250 2.1.5 <Bob@Example.org>\r\n", text(p.onVrfy(STRANGER, "<Bob@Example.org>")));
        assertEquals("550 5.1.1 <nobody@example.net>: User unknown\r\n", text(p.onVrfy(STRANGER, "nobody@example.net")));
        assertEquals(252, p.onVrfy(STRANGER, "someone@remote.example").code());
        assertEquals(502, p.onExpn(STRANGER, "team").code(), "EXPN stays off");
    }

    @Test
    void expnListsTheMembersOfAnAlias() {
        LocalRecipients p = policy(new AddressQueries(AddressQueries.Vrfy.OFF, AddressQueries.Expn.LISTS, false));
        assertEquals("250-2.1.5 <alice@example.net>\r\n250-2.1.5 <bob@example.org>\r\n250 2.1.5 <carol@remote.example>\r\n",
                text(p.onExpn(STRANGER, "team")));
        assertEquals("250 2.1.5 <alice@example.net>\r\n", text(p.onExpn(STRANGER, "alice")));
        assertEquals(550, p.onExpn(STRANGER, "nosuch").code());
        assertEquals(550, p.onExpn(STRANGER, "list@remote.example").code());
        assertEquals(252, p.onVrfy(STRANGER, "alice").code(), "VRFY stays off");
    }

    @Test
    void trustedOnlyAnswersMynetworksAndAuthenticatedClients() {
        LocalRecipients p = policy(new AddressQueries(AddressQueries.Vrfy.LOCAL, AddressQueries.Expn.LISTS, true));
        assertEquals(252, p.onVrfy(STRANGER, "alice").code());
        assertEquals(502, p.onExpn(STRANGER, "team").code());
        assertEquals(250, p.onVrfy(TRUSTED, "alice").code());
        assertEquals(250, p.onExpn(TRUSTED, "team").code());
        SessionFacts authenticated = new SessionFacts() {
            public InetAddress clientAddress() {
                return STRANGER.clientAddress();
            }

            public String heloName() {
                return "c";
            }

            public boolean esmtp() {
                return true;
            }

            public boolean tlsActive() {
                return true;
            }

            public String authenticatedUser() {
                return "alice";
            }
        };
        assertEquals(250, p.onVrfy(authenticated, "alice").code());
    }

    @Test
    void aChainLeavesVrfyAndExpnToThePolicyThatAnswers() {
        PolicyChain chain = PolicyChain.of(new SenderLogin(),
                policy(new AddressQueries(AddressQueries.Vrfy.LOCAL, AddressQueries.Expn.LISTS, false)));
        assertEquals(250, chain.onVrfy(STRANGER, "alice").code());
        assertEquals(null, PolicyChain.of(new SenderLogin()).onExpn(STRANGER, "team"));
    }
}
