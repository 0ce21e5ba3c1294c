package dev.mta.server.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may use the control channel, with the JDK's own principals (those SO_PEERCRED gives compare by uid) and with
 * made-up ones. The check over a real socket, from a process of another user, is in {@link ControlServerTest}.
 */
class PeerCredentialsTest {
    @TempDir
    Path dir;

    /** A principal of no real user: equal to nothing but itself. */
    private static final class Fake implements UserPrincipal {
        private final String name;

        Fake(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }
    }

    @Test
    void theServersUserAndRootAreServedAndNoOneElse() {
        UserPrincipal mta = new Fake("mta");
        UserPrincipal root = new Fake("root");
        PeerCredentials peers = new PeerCredentials(mta, root);
        assertTrue(peers.allows(mta));
        assertTrue(peers.allows(root));
        assertFalse(peers.allows(new Fake("mallory")));
        assertFalse(peers.allows(new Fake("mta")), "a name alone is not a user");
        assertFalse(peers.allows(null));
        assertEquals("mta and root", peers.served());
        assertEquals("mta", new PeerCredentials(mta, null).served());
    }

    @Test
    void realPrincipalsCompareByUser() throws Exception {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal owner = Files.getOwner(Files.createFile(dir.resolve("made-by-us")));
        PeerCredentials peers = PeerCredentials.serverOrRoot(owner);
        assertTrue(peers.allows(users.lookupPrincipalByName(owner.getName())), "the server's own user");
        assertTrue(peers.allows(users.lookupPrincipalByName("root")), "root");
        assertFalse(peers.allows(users.lookupPrincipalByName("nobody")), "another user");
    }
}
