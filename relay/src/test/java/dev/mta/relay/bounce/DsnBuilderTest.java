package dev.mta.relay.bounce;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 3464 per-recipient fields built from typed outcomes, never read back out of prose. */
class DsnBuilderTest {
    private static final RemoteMta MX = new RemoteMta("mx1.dest.example",
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 25));

    private static String dsn(FailedRecipient... failed) {
        return new String(DsnBuilder.build("mta.test", "alice@sender.example", "0000ABCD", ZonedDateTime.now(),
                List.of(failed), "Subject: hi\r\n"), StandardCharsets.UTF_8);
    }

    @Test
    void aRemoteRefusalCarriesItsStatusTheRemoteMtaAndTheReplyVerbatim() {
        Outcome o = Outcome.reply(550, List.of("5.1.1 <bob@dest.example>: Recipient address rejected: User unknown"), MX);
        String text = dsn(new FailedRecipient(new MailPath("bob", "dest.example", false), o, false));
        assertTrue(text.contains("Final-Recipient: rfc822; bob@dest.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "Remote-MTA: dns; mx1.dest.example\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <bob@dest.example>: Recipient address rejected: User unknown\r\n"),
                text);
    }

    @Test
    void theStatusClassFollowsTheReplyCodeWhenTheyDisagree() {
        Outcome o = Outcome.reply(554, List.of("4.7.1 go away"), MX);
        String text = dsn(new FailedRecipient(new MailPath("bob", "dest.example", false), o, false));
        assertTrue(text.contains("Status: 5.7.1\r\n"), text);
        Outcome bare = Outcome.reply(550, List.of("no such user"), MX);
        assertTrue(dsn(new FailedRecipient(new MailPath("b", "d.example", false), bare, false))
                .contains("Status: 5.0.0\r\n"));
    }

    @Test
    void anExpiredRecipientReportsItsLastRealProblemWithAConsistentStatus() {
        Outcome last = Outcome.reply(451, List.of("4.3.0 try later"), MX).as(Outcome.Kind.FAILED);
        String text = dsn(new FailedRecipient(new MailPath("slow", "dest.example", false), last, true));
        assertTrue(text.contains("Action: failed\r\nStatus: 4.3.0\r\nRemote-MTA: dns; mx1.dest.example\r\n"
                + "Diagnostic-Code: smtp; 451 4.3.0 try later\r\n"), text);
        assertTrue(text.contains("delivery time expired; the last problem was: mx1.dest.example[127.0.0.1]:25 said:"
                + " 451 4.3.0 try later"), text);
        assertFalse(text.contains("5.4.7"), text);
    }

    @Test
    void aProblemMetHereIsNotPassedOffAsAReply() {
        Outcome dns = Outcome.local(Outcome.Kind.FAILED, EnhancedStatus.of(4, 4, 3),
                "DNS lookup of MX for dest.example failed", null);
        String text = dsn(new FailedRecipient(new MailPath("x", "dest.example", false), dns, true));
        assertTrue(text.contains("Status: 4.4.3\r\nDiagnostic-Code: X-mta; 4.4.3 DNS lookup of MX for dest.example"
                + " failed\r\n"), text);
        assertFalse(text.contains("Remote-MTA"), text);
        String never = dsn(new FailedRecipient(new MailPath("y", "dest.example", false), null, true));
        assertTrue(never.contains("Status: 4.4.7\r\n"), never);
    }

    @Test
    void aConnectionThatFailedNamesNoRemoteMtaAndTwoDsnsHaveTwoMessageIds() {
        Outcome refused = Outcome.local(Outcome.Kind.FAILED, EnhancedStatus.of(4, 4, 1),
                "connect to mx1.dest.example[127.0.0.1]:25: Connection refused", MX);
        FailedRecipient f = new FailedRecipient(new MailPath("x", "dest.example", false), refused, true);
        String one = dsn(f);
        assertFalse(one.contains("Remote-MTA"), "no remote MTA reported this: " + one);
        assertTrue(one.contains("Status: 4.4.1\r\nDiagnostic-Code: X-mta; 4.4.1 connect to"), one);
        String two = dsn(f);
        assertFalse(messageId(one).equals(messageId(two)), messageId(one));
    }

    private static String messageId(String dsn) {
        int at = dsn.indexOf("Message-ID: ");
        return dsn.substring(at, dsn.indexOf("\r\n", at));
    }
}
