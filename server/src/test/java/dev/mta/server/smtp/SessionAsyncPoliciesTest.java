package dev.mta.server.smtp;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.server.policy.PolicyChain;
import dev.mta.server.policy.SessionFacts;
import dev.mta.server.policy.SessionPolicy;
import dev.mta.server.policy.TransactionFacts;
import dev.mta.server.policy.Verdict;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A policy that answers later: the session stops reading until the verdict is in, then answers and goes on, so
 * pipelined commands keep their order; a session closed meanwhile is not written to.
 */
@ExtendWith(LeakGuard.class)
class SessionAsyncPoliciesTest {
    private static final SmtpReply NO = SmtpReply.of(550, "5.1.1", "<slow@example.org>: Recipient address rejected");

    @TempDir
    Path spool;
    private EmbeddedSession ch;
    /** The pending verdicts, by recipient, for the test to complete. */
    private final Map<String, CompletableFuture<Verdict>> pending = new LinkedHashMap<>();
    private final List<String> asked = new ArrayList<>();

    /** Every recipient whose local part starts with "slow" waits for the test to decide. */
    private final SessionPolicy slow = new SessionPolicy() {
        @Override
        public Verdict onRcpt(SessionFacts s, TransactionFacts t, MailPath recipient) {
            asked.add(recipient.address());
            if (!recipient.localPart().startsWith("slow")) {
                return Verdict.ACCEPT;
            }
            CompletableFuture<Verdict> f = new CompletableFuture<>();
            pending.put(recipient.address(), f);
            return Verdict.pending(f);
        }
    };

    @AfterEach
    void close() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void pipelinedCommandsWaitForAPendingVerdictAndAreAnsweredInOrder() throws Exception {
        start(slow);
        replies();
        String first = send("EHLO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<a@example.org>\r\n"
                + "RCPT TO:<slow@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<slow2@example.org>\r\n"
                + "RCPT TO:<c@example.org>\r\nNOOP\r\n");
        assertTrue(first.endsWith("250 2.1.0 Sender ok\r\n250 2.1.5 Recipient ok\r\n"), first);
        assertEquals(List.of("a@example.org", "slow@example.org"), asked, "nothing behind the pending RCPT is read");
        assertFalse(ch.config().isAutoRead(), "the socket is not read while a verdict is pending");

        pending.get("slow@example.org").complete(Verdict.refuse(NO));
        assertEquals("550 5.1.1 <slow@example.org>: Recipient address rejected\r\n250 2.1.5 Recipient ok\r\n",
                replies(), "the refusal, then the next RCPT up to the next pending one");
        assertEquals(List.of("a@example.org", "slow@example.org", "b@example.org", "slow2@example.org"), asked);

        pending.get("slow2@example.org").complete(Verdict.ACCEPT);
        assertEquals("250 2.1.5 Recipient ok\r\n250 2.1.5 Recipient ok\r\n250 2.0.0 Ok\r\n",
                replies());
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void theRestOfTheChainIsAskedOnlyOnceAPendingVerdictAccepts() throws Exception {
        List<String> after = new ArrayList<>();
        start(PolicyChain.of(slow, new SessionPolicy() {
            @Override
            public Verdict onRcpt(SessionFacts s, TransactionFacts t, MailPath recipient) {
                after.add(recipient.address());
                return recipient.localPart().equals("slowbad") ? Verdict.refuse(NO) : Verdict.ACCEPT;
            }
        }));
        replies();
        send("HELO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<slow@example.org>\r\nRCPT TO:<slowbad@example.org>\r\n");
        assertEquals(List.of(), after);
        pending.get("slow@example.org").complete(Verdict.refuse(NO));
        assertEquals("550 5.1.1 <slow@example.org>: Recipient address rejected\r\n", replies());
        assertEquals(List.of(), after, "a refusal is final: the rest of the chain is not asked");
        pending.get("slowbad@example.org").complete(Verdict.ACCEPT);
        assertEquals("550 5.1.1 <slow@example.org>: Recipient address rejected\r\n", replies());
        assertEquals(List.of("slowbad@example.org"), after);
    }

    @Test
    void aFailedLookupIsATemporaryLocalError() throws Exception {
        start(slow);
        replies();
        send("HELO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<slow@example.org>\r\nNOOP\r\n");
        pending.get("slow@example.org").completeExceptionally(new IllegalStateException("resolver gone"));
        assertEquals("451 4.3.0 Error: local error in processing\r\n250 2.0.0 Ok\r\n", replies());
    }

    @Test
    void aSessionClosedWhileAVerdictIsPendingIsNotWrittenTo() throws Exception {
        start(slow);
        replies();
        send("HELO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<slow@example.org>\r\nRCPT TO:<b@example.org>\r\n");
        ch.close();
        ch.runPendingTasks();
        pending.get("slow@example.org").complete(Verdict.ACCEPT);
        assertEquals("", replies());
        assertEquals(List.of("slow@example.org"), asked, "nothing more is read either");
    }

    private void start(SessionPolicy policy) throws Exception {
        ch = EmbeddedSession.start(TestMta.config(spool), policy);
    }

    private String send(String lines) {
        return ch.send(lines);
    }

    private String replies() {
        return ch.replies();
    }
}
