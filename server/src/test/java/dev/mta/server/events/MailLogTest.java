package dev.mta.server.events;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.events.CommandCounts;
import dev.mta.queue.events.MailEvent;
import dev.mta.queue.model.Outcome;
import dev.mta.queue.model.RemoteMta;
import dev.mta.queue.model.Route;
import dev.mta.testkit.LogCapture;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each line of the mail log, word for word, from the event it is written for. */
class MailLogTest {
    private static final String ID = "1A226A930EA897DE";
    private static final MailPath BOB = new MailPath("bob", "example.net", false);
    private static final RemoteMta MX = new RemoteMta("mx.example.net",
            new InetSocketAddress(address("198.51.100.7"), 25));

    private final MailLog mailLog = new MailLog();

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> linesOf(Runnable event) {
        try (LogCapture log = LogCapture.lines(MailLog.LOGGER)) {
            event.run();
            return log.lines();
        }
    }

    @Test
    void connectNamesTheClientAsPostfixDoesOneWithoutAName() {
        assertEquals(List.of("connect from unknown[192.0.2.1]"),
                linesOf(() -> mailLog.connectionOpened(new MailEvent.ConnectionOpened(address("192.0.2.1")))));
        assertEquals(List.of("connect from unknown[2001:db8::1]"),
                linesOf(() -> mailLog.connectionOpened(new MailEvent.ConnectionOpened(address("2001:db8:0:0::1")))));
    }

    @Test
    void disconnectCountsTheCommandsAndThoseThatFailed() {
        int[] ok = new int[SmtpVerb.values().length];
        int[] total = new int[SmtpVerb.values().length];
        count(ok, total, SmtpVerb.EHLO, 2, 2);
        count(ok, total, SmtpVerb.STARTTLS, 1, 1);
        count(ok, total, SmtpVerb.MAIL, 1, 1);
        count(ok, total, SmtpVerb.RCPT, 1, 3);
        count(ok, total, SmtpVerb.DATA, 1, 1);
        count(ok, total, SmtpVerb.QUIT, 1, 1);
        count(ok, total, SmtpVerb.UNKNOWN, 0, 1);
        CommandCounts counts = CommandCounts.of(ok, total);
        assertEquals(List.of("disconnect from unknown[192.0.2.1] ehlo=2 starttls=1 mail=1 rcpt=1/3 data=1 quit=1 "
                        + "unknown=0/1 commands=7/10"),
                linesOf(() -> mailLog.connectionClosed(new MailEvent.ConnectionClosed(address("192.0.2.1"), 10, 1,
                        counts))));
        assertEquals(List.of("disconnect from unknown[192.0.2.1] commands=0"),
                linesOf(() -> mailLog.connectionClosed(new MailEvent.ConnectionClosed(address("192.0.2.1"), 10, 0))));
    }

    private static void count(int[] ok, int[] total, SmtpVerb verb, int good, int all) {
        ok[verb.ordinal()] = good;
        total[verb.ordinal()] = all;
    }

    @Test
    void everyVerbHasItsPlaceInTheDisconnectLine() {
        int[] ones = new int[SmtpVerb.values().length];
        Arrays.fill(ones, 1);
        String line = MailLog.commands(CommandCounts.of(ones, ones));
        Set<String> named = new HashSet<>();
        for (String part : line.split(" ")) {
            named.add(part.substring(0, part.indexOf('=')));
        }
        assertEquals(SmtpVerb.values().length + 1, named.size(), line); // every verb, and commands=
    }

    @Test
    void aQueuedMessageGetsItsClientMessageIdAndEnvelopeLines() {
        MailEvent.MessageQueued e = new MailEvent.MessageQueued(ID, new MailPath("alice", "example.com", false), 2,
                1234, address("192.0.2.10"), 1_000_000, "<20240101.abc@example.com>");
        assertEquals(List.of(
                ID + ": client=unknown[192.0.2.10]",
                ID + ": message-id=<20240101.abc@example.com>",
                ID + ": from=<alice@example.com>, size=1234, nrcpt=2 (queue active)"),
                linesOf(() -> mailLog.messageQueued(e)));
    }

    @Test
    void aBounceMadeHereHasNoClientAndTheNullSender() {
        MailEvent.MessageQueued e = new MailEvent.MessageQueued(ID, MailPath.NULL, 1, 2048, null, 1_000_000, null);
        assertEquals(List.of(
                ID + ": message-id=<>",
                ID + ": from=<>, size=2048, nrcpt=1 (queue active)"),
                linesOf(() -> mailLog.messageQueued(e)));
    }

    @Test
    void aDeliveryNamesTheRelayTheDelaysTheStatusAndTheReply() {
        Outcome sent = Outcome.reply(250, List.of("2.0.0 Ok: queued as 4F1B2C3D"), MX);
        MailEvent.DeliveryAttempted e = new MailEvent.DeliveryAttempted(ID, BOB, Route.smtp("example.net"), sent,
                1290, false, new MailEvent.Delays(80, 10, 1160, 40));
        assertEquals(List.of(ID + ": to=<bob@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=1.2, "
                        + "delays=0.08/0.01/1.1/0.04, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4F1B2C3D)"),
                linesOf(() -> mailLog.deliveryAttempted(e)));
    }

    @Test
    void aDeferralAndABounceCarryTheNextHopsStatusAndWords() {
        Outcome busy = Outcome.reply(450, List.of("4.2.1 mailbox busy"), MX);
        Outcome unknown = Outcome.reply(550, List.of("5.1.1 <bob@example.net>: no such user"), MX);
        MailEvent.Delays d = new MailEvent.Delays(0, 72137_000, 20, 480);
        assertEquals(List.of(ID + ": to=<bob@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=72137, "
                        + "delays=0/72137/0.02/0.48, dsn=4.2.1, status=deferred (450 4.2.1 mailbox busy)"),
                linesOf(() -> mailLog.deliveryAttempted(new MailEvent.DeliveryAttempted(ID, BOB,
                        Route.smtp("example.net"), busy, 72137_500, false, d))));
        assertEquals(List.of(ID + ": to=<bob@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=72137, "
                        + "delays=0/72137/0.02/0.48, dsn=5.1.1, status=bounced (550 5.1.1 <bob@example.net>: no such user)"),
                linesOf(() -> mailLog.deliveryAttempted(new MailEvent.DeliveryAttempted(ID, BOB,
                        Route.smtp("example.net"), unknown, 72137_500, false, d))));
    }

    @Test
    void aProblemMetHereHasNoRelayAndAnExpiredRecipientSaysSo() {
        Outcome noDomain = Outcome.failed(EnhancedStatus.of(5, 1, 2), "domain example.net not found");
        assertEquals(List.of(ID + ": to=<bob@example.net>, relay=none, delay=0.3, delays=0.1/0.2/0/0, dsn=5.1.2, "
                        + "status=bounced (5.1.2 domain example.net not found)"),
                linesOf(() -> mailLog.deliveryAttempted(new MailEvent.DeliveryAttempted(ID, BOB,
                        Route.smtp("example.net"), noDomain, 300, false, new MailEvent.Delays(100, 200, 0, 0)))));
        Outcome last = Outcome.reply(450, List.of("4.2.1 mailbox busy"), MX).as(Outcome.Kind.FAILED);
        assertEquals(List.of(ID + ": to=<bob@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=432000, "
                        + "delays=0/432000/0/0, dsn=4.2.1, status=expired (450 4.2.1 mailbox busy)"),
                linesOf(() -> mailLog.deliveryAttempted(new MailEvent.DeliveryAttempted(ID, BOB,
                        Route.smtp("example.net"), last, 432_000_000, true))));
    }

    @Test
    void aRelayOverIpv6IsWrittenShort() {
        RemoteMta v6 = new RemoteMta("mx6.example.net", new InetSocketAddress(address("2001:db8::25"), 25));
        assertEquals("mx6.example.net[2001:db8::25]:25", MailLog.relay(v6));
    }

    @Test
    void theBounceAndTheRemovalHaveTheirOwnLines() {
        assertEquals(List.of(ID + ": sender non-delivery notification: 1A226A930EA897DF"),
                linesOf(() -> mailLog.bounced(new MailEvent.Bounced(ID, "1A226A930EA897DF", 1))));
        assertEquals(List.of(ID + ": removed"), linesOf(() -> mailLog.messageRemoved(
                new MailEvent.MessageRemoved(ID, MailEvent.MessageRemoved.Reason.DONE))));
        assertEquals(List.of(ID + ": removed by the operator"), linesOf(() -> mailLog.messageRemoved(
                new MailEvent.MessageRemoved(ID, MailEvent.MessageRemoved.Reason.DELETED))));
    }

    @Test
    void secondsAreWrittenAsPostfixWritesDelays() {
        assertEquals("0", MailLog.seconds(0));
        assertEquals("0", MailLog.seconds(9));
        assertEquals("0.01", MailLog.seconds(10));
        assertEquals("0.04", MailLog.seconds(49));
        assertEquals("0.1", MailLog.seconds(100));
        assertEquals("0.39", MailLog.seconds(399));
        assertEquals("1", MailLog.seconds(1000));
        assertEquals("1.2", MailLog.seconds(1290));
        assertEquals("9.9", MailLog.seconds(9999));
        assertEquals("10", MailLog.seconds(10_999));
        assertEquals("72139", MailLog.seconds(72_139_400));
        assertEquals("0", MailLog.seconds(-5)); // a clock stepped back
    }

    @Test
    void nothingIsWrittenWhenTheMailLogIsSilenced() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(MailLog.LOGGER);
        try (LogCapture log = LogCapture.lines(MailLog.LOGGER)) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
            mailLog.connectionOpened(new MailEvent.ConnectionOpened(address("192.0.2.1")));
            mailLog.messageQueued(new MailEvent.MessageQueued(ID, MailPath.NULL, 1, 1, null, 1, null));
            assertEquals(List.of(), log.lines());
        }
    }
}
