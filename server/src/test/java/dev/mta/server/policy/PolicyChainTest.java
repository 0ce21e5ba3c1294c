package dev.mta.server.policy;

import dev.mta.protocol.command.BodyType;
import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;
import dev.mta.queue.model.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy chain and the standard policies, without a session. */
class PolicyChainTest {
    private static final MailPath SENDER = new MailPath("a", "example.com", false);
    private static final MailPath ASCII = new MailPath("b", "example.org", false);
    private static final MailPath UTF8 = new MailPath("b\u00e9", "example.org", true);
    private static final SmtpReply NO = SmtpReply.of(550, "5.7.1", "Error: no");
    private static final SmtpReply LATER = SmtpReply.of(450, "4.7.1", "Error: later");

    private final Facts session = new Facts();

    @Test
    void anEmptyChainAcceptsEverything() {
        PolicyChain chain = PolicyChain.of();
        Tx tx = new Tx(MailParameters.DEFAULT, 0);
        assertSame(Verdict.ACCEPT, chain.onConnect(session));
        assertSame(Verdict.ACCEPT, chain.onHelo(session, "client.test", true));
        assertSame(Verdict.ACCEPT, chain.onMail(session, SENDER, MailParameters.DEFAULT));
        assertSame(Verdict.ACCEPT, chain.onRcpt(session, tx, ASCII));
        assertSame(Verdict.ACCEPT, chain.onData(session, tx));
    }

    @Test
    void policiesRunInOrderAndTheFirstRefusalWins() {
        List<String> ran = new ArrayList<>();
        PolicyChain chain = PolicyChain.of(
                recording("accepts", ran, Verdict.ACCEPT),
                recording("refuses", ran, Verdict.refuse(NO)),
                recording("never asked", ran, Verdict.refuse(LATER)));
        Tx tx = new Tx(MailParameters.DEFAULT, 0);
        assertSame(NO, chain.onConnect(session).reply());
        assertSame(NO, chain.onHelo(session, "client.test", false).reply());
        assertSame(NO, chain.onMail(session, SENDER, MailParameters.DEFAULT).reply());
        assertSame(NO, chain.onRcpt(session, tx, ASCII).reply());
        assertSame(NO, chain.onData(session, tx).reply());
        assertEquals(List.of("accepts", "refuses", "accepts", "refuses", "accepts", "refuses", "accepts", "refuses",
                "accepts", "refuses"), ran);
    }

    @Test
    void aVerdictIsAcceptOrANegativeReply() {
        assertTrue(Verdict.ACCEPT.accepted());
        Verdict refuse = Verdict.refuse(NO);
        assertFalse(refuse.accepted());
        assertFalse(refuse.countsAsError());
        assertFalse(refuse.closes());
        assertTrue(Verdict.error(NO).countsAsError());
        assertTrue(Verdict.refuse(SmtpReply.of(421, "4.7.0", "Error: go away")).closes());
        assertThrows(IllegalArgumentException.class, () -> Verdict.refuse(Replies.OK));
        assertThrows(IllegalArgumentException.class, () -> Verdict.error(Replies.SENDER_OK));
    }

    @Test
    void declaredSizeAboveTheMaximumIsRefusedAtMail() {
        DeclaredSizeLimit limit = new DeclaredSizeLimit(1000);
        assertSame(Verdict.ACCEPT, limit.onMail(session, SENDER, MailParameters.DEFAULT));
        assertSame(Verdict.ACCEPT, limit.onMail(session, SENDER, sized(1000)));
        Verdict v = limit.onMail(session, SENDER, sized(1001));
        assertEquals("552 5.3.4 Error: message size exceeds fixed maximum message size of 1000 bytes\r\n",
                new String(v.reply().wireBytes()));
        assertFalse(v.countsAsError());
        assertSame(v, limit.onMail(session, SENDER, sized(5000)), "one verdict, built once");
    }

    @Test
    void aFullQueueRefusesMail() {
        Store store = new Store();
        QueueRoom room = new QueueRoom(store);
        assertSame(Verdict.ACCEPT, room.onMail(session, SENDER, MailParameters.DEFAULT));
        store.room = false;
        Verdict v = room.onMail(session, SENDER, MailParameters.DEFAULT);
        assertSame(Replies.STORAGE_FULL, v.reply());
        assertFalse(v.countsAsError());
    }

    @Test
    void aNonAsciiRecipientNeedsSmtputf8AndThatIsAnError() {
        Utf8Recipients utf8 = new Utf8Recipients();
        assertSame(Verdict.ACCEPT, utf8.onRcpt(session, new Tx(MailParameters.DEFAULT, 0), ASCII));
        assertSame(Verdict.ACCEPT, utf8.onRcpt(session, new Tx(new MailParameters(-1, BodyType.EIGHT_BIT_MIME, true), 0),
                UTF8));
        Verdict v = utf8.onRcpt(session, new Tx(MailParameters.DEFAULT, 0), UTF8);
        assertSame(Replies.NON_ASCII_WITHOUT_SMTPUTF8, v.reply());
        assertTrue(v.countsAsError());
    }

    @Test
    void everyAcceptedRcptCountsTowardTheLimit() {
        RecipientLimit limit = new RecipientLimit(3);
        assertSame(Verdict.ACCEPT, limit.onRcpt(session, new Tx(MailParameters.DEFAULT, 2), ASCII));
        assertSame(Replies.TOO_MANY_RECIPIENTS, limit.onRcpt(session, new Tx(MailParameters.DEFAULT, 3), ASCII).reply());
    }

    @Test
    void theStandardChainKeepsTheOrderOfTheReplies() {
        Store store = new Store();
        store.room = false;
        PolicyChain chain = StandardPolicies.of(ServerConfig.defaults().withLimits(1000, 2, 10), store);
        // MAIL: the declared size is said before the full queue.
        assertEquals(552, chain.onMail(session, SENDER, sized(2000)).reply().code());
        assertSame(Replies.STORAGE_FULL, chain.onMail(session, SENDER, sized(10)).reply());
        store.room = true;
        assertSame(Verdict.ACCEPT, chain.onMail(session, SENDER, sized(10)));
        // RCPT: SMTPUTF8 before the recipient limit.
        assertSame(Replies.NON_ASCII_WITHOUT_SMTPUTF8, chain.onRcpt(session, new Tx(MailParameters.DEFAULT, 2), UTF8).reply());
        assertSame(Replies.TOO_MANY_RECIPIENTS, chain.onRcpt(session, new Tx(MailParameters.DEFAULT, 2), ASCII).reply());
        assertSame(Verdict.ACCEPT, chain.onRcpt(session, new Tx(MailParameters.DEFAULT, 1), ASCII));
        // Nothing at connect, HELO or DATA yet.
        assertSame(Verdict.ACCEPT, chain.onConnect(session));
        assertSame(Verdict.ACCEPT, chain.onHelo(session, "client.test", true));
        assertSame(Verdict.ACCEPT, chain.onData(session, new Tx(MailParameters.DEFAULT, 1)));
    }

    private static MailParameters sized(long size) {
        return new MailParameters(size, BodyType.SEVEN_BIT, false);
    }

    private static SessionPolicy recording(String name, List<String> ran, Verdict verdict) {
        return new SessionPolicy() {
            private Verdict run() {
                ran.add(name);
                return verdict;
            }

            @Override
            public Verdict onConnect(SessionFacts s) {
                return run();
            }

            @Override
            public Verdict onHelo(SessionFacts s, String heloName, boolean esmtp) {
                return run();
            }

            @Override
            public Verdict onMail(SessionFacts s, MailPath sender, MailParameters parameters) {
                return run();
            }

            @Override
            public Verdict onRcpt(SessionFacts s, TransactionFacts t, MailPath recipient) {
                return run();
            }

            @Override
            public Verdict onData(SessionFacts s, TransactionFacts t) {
                return run();
            }
        };
    }

    private static final class Facts implements SessionFacts {
        @Override
        public InetAddress clientAddress() {
            return InetAddress.getLoopbackAddress();
        }

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

    private record Tx(MailParameters parameters, int acceptedRecipients) implements TransactionFacts {
        @Override
        public MailPath sender() {
            return SENDER;
        }

        @Override
        public List<String> recipients() {
            return List.of();
        }
    }

    private static final class Store implements MessageStore {
        boolean room = true;

        @Override
        public IncomingMessage receive(Envelope envelope) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasRoom() {
            return room;
        }

        @Override
        public void close() {
        }
    }
}
