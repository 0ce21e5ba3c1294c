package dev.mta.mailbox.directory;

import dev.mta.mailbox.aliases.AliasFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class LocalDirectoryTest {
    private final Map<String, String> users = Map.of("alice", "Alice", "bob", "bob");
    private final LocalDirectory dir = new LocalDirectory(n -> users.get(LocalDirectory.key(n)),
            AliasFile.parse(Path.of("aliases"), "postmaster: alice\nbob: bob, alice\nteam: alice, bob\nowner-team: alice\n"));

    @Test
    void aliasesComeBeforeUsersAndMatchInAnyCase() {
        assertEquals(new LocalAddress.Mailbox("Alice"), dir.lookup("ALICE"));
        assertEquals(new LocalAddress.Mailbox("Alice"), dir.lookup("\"alice\""));
        assertInstanceOf(LocalAddress.Aliased.class, dir.lookup("Bob"));
        assertInstanceOf(LocalAddress.Aliased.class, dir.lookup("PostMaster"));
        assertEquals(LocalAddress.UNKNOWN, dir.lookup("carol"));
        assertEquals("owner-team", dir.ownerOf("Team").name());
        assertNull(dir.ownerOf("bob"));
    }

    @Test
    void aUserNamedByAnAddressOwnsThatAddress() {
        Map<String, String> byAddress = Map.of("carol@example.org", "carol@example.org", "alice", "alice");
        LocalDirectory d = new LocalDirectory(n -> byAddress.get(LocalDirectory.key(n)),
                AliasFile.parse(Path.of("aliases"), "postmaster: alice\n"));
        assertEquals(new LocalAddress.Mailbox("carol@example.org"), d.lookup("Carol", "EXAMPLE.org"));
        assertEquals(LocalAddress.UNKNOWN, d.lookup("carol", "example.net"));
        assertEquals(new LocalAddress.Mailbox("alice"), d.lookup("alice", "example.net"));
    }

    @Test
    void aReloadReplacesTheAliases() {
        dir.replaceAliases(AliasFile.parse(Path.of("aliases"), "carol: alice\n"));
        assertInstanceOf(LocalAddress.Aliased.class, dir.lookup("carol"));
        assertEquals(new LocalAddress.Mailbox("bob"), dir.lookup("bob"));
    }
}
