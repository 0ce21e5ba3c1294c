package dev.mta.server;

import dev.mta.mailbox.aliases.AliasFile;
import dev.mta.mailbox.directory.LocalDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local domains' postmaster must reach someone: a user, or an address elsewhere, not nobody or a loop. */
class LocalMailCheckTest {
    @TempDir
    Path dir;

    private static String problem(String aliases) {
        LocalDirectory d = new LocalDirectory(n -> Map.of("alice", "alice").get(LocalDirectory.key(n)),
                AliasFile.parse(Path.of("aliases"), aliases));
        return LocalMailCheck.problem(d, domain -> domain.equalsIgnoreCase("example.net"));
    }

    @Test
    void postmasterReachesAUserOrAnAddressElsewhere() {
        assertNull(problem("postmaster: alice\n"));
        assertNull(problem("postmaster: admins\nadmins: nobody, alice@example.net\n"));
        assertNull(problem("postmaster: ops@elsewhere.example\n"));
        assertNull(problem("postmaster: postmaster, alice\n"));
    }

    @Test
    void postmasterThatReachesNoOneIsRefused() {
        assertTrue(problem("x: alice\n").startsWith("the local domains need a postmaster"));
        assertTrue(problem("postmaster: nosuchuser\n").startsWith("postmaster's mail reaches no one"));
        assertTrue(problem("postmaster: pm2\npm2: postmaster\n").startsWith("postmaster's mail reaches no one"));
        assertTrue(problem("postmaster: nobody@example.net\n").startsWith("postmaster's mail reaches no one"));
        assertTrue(problem("postmaster: postmaster\n").startsWith("postmaster's mail reaches no one"));
    }

    @Test
    void theCheckRunsBeforeTheStartAndForMtaConfig() throws Exception {
        Path users = dev.mta.server.support.UsersFile.write(dir.resolve("users"), Map.of("alice", "pw"));
        Path aliases = Files.writeString(dir.resolve("aliases"), "postmaster: nosuchuser\n");
        String[] args = {"--local-domains", "example.net", "--users", users.toString(), "--aliases", aliases.toString()};
        picocli.CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ((MtaMain) cmd.getCommand()).check());
        assertTrue(e.getMessage().startsWith("aliases: postmaster's mail reaches no one"), e.getMessage());
        Files.writeString(aliases, "postmaster: ALICE\n");
        picocli.CommandLine ok = MtaMain.commandLine(args);
        ok.parseArgs(args);
        ((MtaMain) ok.getCommand()).check();
    }
}
