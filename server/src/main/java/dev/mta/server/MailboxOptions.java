package dev.mta.server;

import dev.mta.mailbox.maildir.MailRoot;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where local mailboxes are (a picocli mixin of {@link MtaMain}): {@code --mail-root}, shared by local delivery and
 * POP3. Its errors name the key.
 */
final class MailboxOptions {
    @Option(names = "--mail-root", paramLabel = "DIR",
            description = "Users' mailboxes, each <DIR>/<user>/Maildir (default: mail, beside the spool)")
    Path mailRoot;

    /** The mail root: {@code --mail-root}, or the folder {@code mail} beside {@code spool}. */
    MailRoot mailRoot(Path spool) {
        Path dir = mailRoot != null ? mailRoot : MailRoot.besideSpool(spool);
        if (dir.toString().isBlank()) {
            throw new IllegalArgumentException("mail-root: must name a directory, not be empty");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("mail-root: " + dir + " is not a directory");
        }
        return new MailRoot(dir);
    }
}
