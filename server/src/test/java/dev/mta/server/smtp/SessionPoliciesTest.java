package dev.mta.server.smtp;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.testkit.LeakGuard;
import dev.mta.server.policy.PolicyChain;
import dev.mta.server.policy.SessionFacts;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.policy.TransactionFacts;
import dev.mta.server.policy.Verdict;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session runs its policy chain at every hook and sends what the chain decides; no socket, no store. */
@ExtendWith(LeakGuard.class)
class SessionPoliciesTest {
    private static final SmtpReply NO = SmtpReply.of(550, "5.7.1", "Error: not here");

    @TempDir
    Path spool;
    private EmbeddedSession ch;

    @AfterEach
    void close() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aRefusalAtConnectIsSentInsteadOfTheGreetingAndEndsTheSession() throws Exception {
        start(new SessionPolicy() {
            @Override
            public Verdict onConnect(SessionFacts s) {
                return s.clientAddress().getHostAddress().equals("192.0.2.7") ? Verdict.refuse(NO) : Verdict.ACCEPT;
            }
        }, 20);
        assertEquals("550 5.7.1 Error: not here\r\n", replies());
        assertFalse(ch.isOpen());
    }

    @Test
    void aRefusedHeloLeavesTheSessionUngreeted() throws Exception {
        start(new SessionPolicy() {
            @Override
            public Verdict onHelo(SessionFacts s, String heloName, boolean esmtp) {
                return heloName.equals("bad.test") ? Verdict.refuse(NO) : Verdict.ACCEPT;
            }
        }, 20);
        assertTrue(replies().startsWith("220 "));
        assertEquals("550 5.7.1 Error: not here\r\n503 5.5.1 Error: send HELO/EHLO first\r\n",
                send("EHLO bad.test\r\nMAIL FROM:<a@example.com>\r\n"));
        assertTrue(send("EHLO good.test\r\n").startsWith("250-" + TestMta.HOSTNAME + "\r\n"));
    }

    @Test
    void policiesSeeTheFactsAndTheFirstRefusalWins() throws Exception {
        List<String> seen = new ArrayList<>();
        SessionPolicy watcher = new SessionPolicy() {
            @Override
            public Verdict onMail(SessionFacts s, MailPath sender, MailParameters parameters) {
                seen.add("MAIL " + s.heloName() + " " + s.esmtp() + " " + sender.address() + " " + parameters.declaredSize());
                return Verdict.ACCEPT;
            }

            @Override
            public Verdict onRcpt(SessionFacts s, TransactionFacts t, MailPath recipient) {
                seen.add("RCPT " + t.sender().address() + " " + t.recipients() + " " + recipient.address());
                return recipient.localPart().equals("nobody") ? Verdict.refuse(NO) : Verdict.ACCEPT;
            }

            @Override
            public Verdict onData(SessionFacts s, TransactionFacts t) {
                seen.add("DATA " + t.recipients() + " " + t.acceptedRecipients());
                return Verdict.refuse(SmtpReply.of(554, "5.7.1", "Error: no content today"));
            }
        };
        start(PolicyChain.of(watcher, new SessionPolicy() {
            @Override
            public Verdict onRcpt(SessionFacts s, TransactionFacts t, MailPath recipient) {
                seen.add("second");
                return Verdict.ACCEPT;
            }
        }), 20);
        replies();
        String r = send("HELO client.test\r\nMAIL FROM:<a@example.com> SIZE=10\r\nRCPT TO:<b@example.org>\r\n"
                + "RCPT TO:<nobody@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        assertEquals("250 " + TestMta.HOSTNAME + "\r\n250 2.1.0 Sender ok\r\n250 2.1.5 Recipient ok\r\n"
                + "550 5.7.1 Error: not here\r\n250 2.1.5 Recipient ok\r\n554 5.7.1 Error: no content today\r\n", r);
        assertEquals(List.of("MAIL client.test false a@example.com 10",
                "RCPT a@example.com [] b@example.org", "second",
                "RCPT a@example.com [b@example.org] nobody@example.org",
                "RCPT a@example.com [b@example.org] b@example.org", "second",
                "DATA [b@example.org] 2"), seen);
        assertTrue(send("NOOP\r\n").startsWith("250 "), "a refusal at DATA leaves the session going");
    }

    @Test
    void errorVerdictsCountTowardTheErrorLimitAnd421Closes() throws Exception {
        start(new SessionPolicy() {
            @Override
            public Verdict onRcpt(SessionFacts s, TransactionFacts t, MailPath recipient) {
                return recipient.localPart().equals("bye") ? Verdict.refuse(SmtpReply.of(421, "4.7.0", "Error: bye"))
                        : Verdict.error(NO);
            }
        }, 2);
        replies();
        assertEquals("250 " + TestMta.HOSTNAME + "\r\n250 2.1.0 Sender ok\r\n550 5.7.1 Error: not here\r\n"
                        + "421 4.7.0 Error: too many errors, closing connection\r\n",
                send("HELO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<x@example.org>\r\n"
                        + "RCPT TO:<y@example.org>\r\n"));
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();

        start(new SessionPolicy() {
            @Override
            public Verdict onHelo(SessionFacts s, String heloName, boolean esmtp) {
                return Verdict.refuse(SmtpReply.of(421, "4.7.0", "Error: bye"));
            }
        }, 20);
        replies();
        assertEquals("421 4.7.0 Error: bye\r\n", send("HELO client.test\r\nNOOP\r\n"));
        assertFalse(ch.isOpen());
    }

    private void start(SessionPolicy policy, int maxErrors) throws Exception {
        ch = EmbeddedSession.start(TestMta.config(spool).withMaxErrors(maxErrors), policy);
    }

    private String send(String lines) {
        return ch.send(lines);
    }

    private String replies() {
        return ch.replies();
    }
}
