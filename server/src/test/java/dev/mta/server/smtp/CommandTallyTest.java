package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.queue.events.CommandCounts;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A command succeeds by its final reply: 2xx yes, 4xx and 5xx no, 3xx not yet. */
class CommandTallyTest {
    @Test
    void countsByTheFinalReply() {
        CommandTally t = new CommandTally();
        t.replied(220); // the greeting answers no command
        t.received(SmtpVerb.EHLO);
        t.replied(250);
        t.received(SmtpVerb.MAIL);
        t.replied(250);
        t.received(SmtpVerb.RCPT);
        t.replied(550);
        t.received(SmtpVerb.RCPT);
        t.replied(250);
        t.received(SmtpVerb.DATA);
        t.replied(354); // not yet: the message's reply decides
        t.replied(554);
        t.received(SmtpVerb.AUTH);
        t.replied(334);
        t.replied(235);
        t.received(SmtpVerb.NOOP);
        t.replied(250);
        t.replied(421); // a timeout's last word answers no command
        CommandCounts c = t.counts();
        assertEquals(1, c.ok(SmtpVerb.EHLO));
        assertEquals(1, c.ok(SmtpVerb.RCPT));
        assertEquals(2, c.total(SmtpVerb.RCPT));
        assertEquals(0, c.ok(SmtpVerb.DATA));
        assertEquals(1, c.total(SmtpVerb.DATA));
        assertEquals(1, c.ok(SmtpVerb.AUTH));
        assertEquals(5, c.ok());
        assertEquals(7, c.total());
    }

    @Test
    void aCommandLeftWithoutAFinalReplyDidNotSucceed() {
        CommandTally t = new CommandTally();
        t.received(SmtpVerb.DATA);
        t.replied(354);
        t.received(SmtpVerb.QUIT); // the client gave up on its message
        t.replied(221);
        assertEquals(0, t.counts().ok(SmtpVerb.DATA));
        assertEquals(1, t.counts().ok(SmtpVerb.QUIT));
    }
}
