package dev.mta.mailbox.aliases;

import dev.mta.protocol.command.MailPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AliasFileTest {
    private static final Path FILE = Path.of("aliases");

    @Test
    void readsTheClassicForm() {
        AliasTable t = AliasFile.parse(FILE, """
                # comment
                postmaster: alice
                team: alice, bob@example.org,
                   carol@elsewhere.example
                Owner-team: alice\r
                """);
        assertEquals(3, t.size());
        assertEquals(List.of(new MailPath("alice", "", false)), t.find("POSTMASTER").targets());
        Alias team = t.find("team");
        assertEquals(List.of("alice@example.net", "bob@example.org", "carol@elsewhere.example"),
                team.targetsIn("example.net").stream().map(MailPath::address).toList());
        assertEquals("Owner-team", t.find("owner-TEAM").name());
        assertNull(t.find("nobody"));
    }

    @Test
    void refusesWhatIsNotAnAddressInOneLineNamingFileAndLine() {
        assertProblem("a: |/usr/bin/procmail", "aliases:1: alias a: \"|/usr/bin/procmail\": pipes to commands are not supported");
        assertProblem("\n\na: \"|cmd arg\"", "aliases:3: alias a: \"\"|cmd arg\"\": pipes to commands");
        assertProblem("a: /var/mail/a", "aliases:1: alias a: \"/var/mail/a\": delivery to files is not supported");
        assertProblem("a: :include:/etc/list", "aliases:1: alias a: \":include:/etc/list\": :include: is not supported");
        assertProblem("a: b@", "aliases:1: alias a: \"b@\" is not an address");
        assertProblem("a:", "aliases:1: alias a has no targets");
        assertProblem("a b", "aliases:1: no ':' after the alias name");
        assertProblem("a: b\nA: c", "aliases:2: alias A again (first on line 1)");
        assertProblem("  b@example.org", "aliases:1: a continuation line with no entry above it");
    }

    private static void assertProblem(String text, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AliasFile.parse(FILE, text));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
    }

    @Test
    void aMissingFileIsOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AliasFile.read(Path.of("no-such-aliases-file")));
        assertEquals("cannot read aliases file no-such-aliases-file: no such file", e.getMessage());
    }
}
