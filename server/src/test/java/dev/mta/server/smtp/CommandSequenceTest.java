package dev.mta.server.smtp;

import dev.mta.protocol.command.SmtpVerb;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The order of commands, without a socket. */
class CommandSequenceTest {
    private static final List<SmtpVerb> ANYWHERE = List.of(SmtpVerb.HELO, SmtpVerb.EHLO, SmtpVerb.RSET, SmtpVerb.NOOP,
            SmtpVerb.QUIT, SmtpVerb.VRFY, SmtpVerb.EXPN, SmtpVerb.HELP);

    @Test
    void beforeTheGreetingNoTransactionCommand() {
        assertSame(Replies.SEND_HELO_FIRST, CommandSequence.refusal(SessionState.CONNECTED, SmtpVerb.MAIL));
        assertSame(Replies.SEND_HELO_FIRST, CommandSequence.refusal(SessionState.CONNECTED, SmtpVerb.RCPT));
        assertSame(Replies.SEND_HELO_FIRST, CommandSequence.refusal(SessionState.CONNECTED, SmtpVerb.DATA));
    }

    @Test
    void greetedNeedsMailFirst() {
        assertNull(CommandSequence.refusal(SessionState.GREETED, SmtpVerb.MAIL));
        assertSame(Replies.NEED_MAIL, CommandSequence.refusal(SessionState.GREETED, SmtpVerb.RCPT));
        assertSame(Replies.NEED_MAIL, CommandSequence.refusal(SessionState.GREETED, SmtpVerb.DATA));
    }

    @Test
    void inATransactionMailIsNestedAndDataNeedsARecipient() {
        assertSame(Replies.NESTED_MAIL, CommandSequence.refusal(SessionState.MAIL, SmtpVerb.MAIL));
        assertNull(CommandSequence.refusal(SessionState.MAIL, SmtpVerb.RCPT));
        assertSame(Replies.NEED_RCPT, CommandSequence.refusal(SessionState.MAIL, SmtpVerb.DATA));
        assertSame(Replies.NESTED_MAIL, CommandSequence.refusal(SessionState.RCPT, SmtpVerb.MAIL));
        assertNull(CommandSequence.refusal(SessionState.RCPT, SmtpVerb.RCPT));
        assertNull(CommandSequence.refusal(SessionState.RCPT, SmtpVerb.DATA));
    }

    @Test
    void theRepliesAreTheClassic503s() {
        for (SmtpReply r : List.of(Replies.SEND_HELO_FIRST, Replies.NEED_MAIL, Replies.NESTED_MAIL, Replies.NEED_RCPT)) {
            assertEquals(503, r.code());
            assertEquals("5.5.1", r.status().toString());
        }
        assertEquals("503 5.5.1 Error: send HELO/EHLO first\r\n", new String(Replies.SEND_HELO_FIRST.wireBytes()));
    }

    @Test
    void sessionCommandsAreAllowedInEveryCommandState() {
        for (SessionState s : SessionState.values()) {
            if (!s.takesCommands()) {
                continue;
            }
            for (SmtpVerb v : ANYWHERE) {
                assertNull(CommandSequence.refusal(s, v), s + " " + v);
            }
        }
    }

    @Test
    void statesThatReadNoCommandsNeverSeeOne() {
        assertEquals(EnumSet.of(SessionState.TLS_HANDSHAKE, SessionState.AUTH, SessionState.DATA),
                EnumSet.complementOf(EnumSet.of(SessionState.CONNECTED, SessionState.GREETED, SessionState.MAIL,
                        SessionState.RCPT)));
        for (SessionState s : EnumSet.of(SessionState.TLS_HANDSHAKE, SessionState.AUTH, SessionState.DATA)) {
            assertThrows(IllegalStateException.class, () -> CommandSequence.refusal(s, SmtpVerb.NOOP));
        }
    }

    @Test
    void aWholeTransactionAndBack() {
        SessionState s = SessionState.CONNECTED;
        s = CommandSequence.next(s, SmtpVerb.NOOP);
        assertEquals(SessionState.CONNECTED, s);
        s = CommandSequence.next(s, SmtpVerb.RSET);
        assertEquals(SessionState.CONNECTED, s, "RSET does not greet");
        s = CommandSequence.next(s, SmtpVerb.EHLO);
        assertEquals(SessionState.GREETED, s);
        s = CommandSequence.next(s, SmtpVerb.MAIL);
        assertEquals(SessionState.MAIL, s);
        s = CommandSequence.next(s, SmtpVerb.RCPT);
        assertEquals(SessionState.RCPT, s);
        s = CommandSequence.next(s, SmtpVerb.RCPT);
        assertEquals(SessionState.RCPT, s);
        s = CommandSequence.next(s, SmtpVerb.DATA);
        assertEquals(SessionState.DATA, s);
        assertEquals(SessionState.GREETED, CommandSequence.afterContent());
    }

    @Test
    void rsetAndASecondHelloEndTheTransaction() {
        for (SessionState s : List.of(SessionState.MAIL, SessionState.RCPT)) {
            assertEquals(SessionState.GREETED, CommandSequence.next(s, SmtpVerb.RSET));
            assertEquals(SessionState.GREETED, CommandSequence.next(s, SmtpVerb.HELO));
            assertEquals(SessionState.GREETED, CommandSequence.next(s, SmtpVerb.EHLO));
        }
    }
}
