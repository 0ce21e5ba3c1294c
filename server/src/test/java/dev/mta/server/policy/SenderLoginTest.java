package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SenderLoginTest {
    private record Facts(String authenticatedUser) implements SessionFacts {
        public InetAddress clientAddress() {
            return null;
        }

        public String heloName() {
            return "client.test";
        }

        public boolean esmtp() {
            return true;
        }

        public boolean tlsActive() {
            return true;
        }
    }

    private final SenderLogin policy = new SenderLogin();

    private Verdict mail(String user, MailPath sender) {
        return policy.onMail(new Facts(user), sender, null);
    }

    @Test
    void anAddressUserSendsOnlyAsItself() {
        MailPath own = new MailPath("Alice", "Example.ORG", false);
        assertTrue(mail("alice@example.org", own).accepted());
        Verdict v = mail("alice@example.org", new MailPath("bob", "example.org", false));
        assertEquals(553, v.reply().code());
        assertEquals("Sender address rejected: not owned by user", v.reply().lines().get(0));
        assertEquals("5.7.1", String.valueOf(v.reply().status()));
        assertTrue(mail("alice@example.org", MailPath.NULL).accepted(), "bounces are not refused");
    }

    @Test
    void othersAreNotChecked() {
        MailPath any = new MailPath("x", "example.net", false);
        assertTrue(mail(null, any).accepted(), "not authenticated: not this policy's concern");
        assertTrue(mail("bob", any).accepted(), "a user name without @ owns no address we could check");
    }
}
