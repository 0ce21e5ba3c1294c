package dev.mta.queue.index;

import dev.mta.protocol.command.MailPath;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class SharedPathsTest {
    private final SharedPaths shared = new SharedPaths();

    @Test
    void equalPathsAndDomainsShareOneInstance() {
        MailPath first = shared.share(new MailPath("alice", "example.com", false));
        assertSame(first, shared.share(new MailPath("alice", "example.com", false)));
        MailPath bob = shared.share(new MailPath("bob", new String("example.com"), false));
        assertSame(first.domain(), bob.domain(), "another user of the same domain shares its string");
    }

    @Test
    void theCaseOfADomainIsKeptAsReceived() {
        MailPath lower = shared.share(new MailPath("alice", "example.com", false));
        MailPath upper = shared.share(new MailPath("alice", "EXAMPLE.com", false));
        assertNotSame(lower, upper);
        assertEquals("EXAMPLE.com", upper.domain());
        assertEquals("alice", upper.localPart());
    }

    @Test
    void manyDistinctPathsComeBackEqualToWhatWasGiven() {
        for (int i = 0; i < 50_000; i++) {
            MailPath p = new MailPath("user" + i, "d" + (i % 977) + ".test", i % 7 == 0);
            MailPath s = shared.share(p);
            assertEquals(p.localPart(), s.localPart());
            assertEquals(p.domain(), s.domain());
            assertEquals(p.isUtf8(), s.isUtf8());
        }
        assertSame(MailPath.NULL, shared.share(MailPath.NULL));
    }
}
