package dev.mta.server;

import dev.mta.server.policy.RecipientTable;
import dev.mta.server.policy.RelayRecipients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The --relay-recipients file: read at start, and again on {@link #reload()} (SIGHUP), always off the event loops.
 * A reload that cannot read or parse the file keeps the table in force and logs an error. A configuration reload may
 * name another file, or none ({@link #replace}).
 */
final class RelayRecipientsFile {
    private static final Logger log = LoggerFactory.getLogger(RelayRecipientsFile.class);

    /** The file the table in force was read from; null: no table. */
    private volatile Path file;
    private final RelayRecipients recipients;

    private RelayRecipientsFile(Path file, RelayRecipients recipients) {
        this.file = file;
        this.recipients = recipients;
    }

    /**
     * Reads {@code file} (null: no table, relay-domain recipients are not checked); IllegalArgumentException naming
     * the option when it cannot be read or has a bad line.
     */
    static RelayRecipientsFile load(Path file) {
        return new RelayRecipientsFile(file, file == null ? RelayRecipients.none() : RelayRecipients.of(read(file)));
    }

    /** The table in force, for the policy. */
    RelayRecipients recipients() {
        return recipients;
    }

    /** The file of the table in force; null for none. */
    Path file() {
        return file;
    }

    /** Reads the file again and swaps the new table in; a bad file keeps the old one. Returns whether it took. */
    synchronized boolean reload() {
        Path from = file;
        if (from == null) {
            log.info("nothing to reload: no --relay-recipients file");
            return false;
        }
        RecipientTable next;
        try {
            next = read(from);
        } catch (IllegalArgumentException e) {
            log.error("relay recipients not reloaded, the table of {} entries stays: {}",
                    recipients.current().size(), e.getMessage());
            return false;
        }
        recipients.replace(next);
        log.info("relay recipients reloaded from {}: {} entries", from, next.size());
        return true;
    }

    /** Puts {@code table}, read from {@code from} (both null: no table), in force at once. */
    synchronized void replace(Path from, RecipientTable table) {
        if ((from == null) != (table == null)) {
            throw new IllegalArgumentException("a table comes from a file");
        }
        recipients.replace(table);
        file = from;
        if (table != null) {
            log.info("relay recipients reloaded from {}: {} entries", from, table.size());
        }
    }

    /** The table in {@code file}; IllegalArgumentException naming the option and the problem. */
    static RecipientTable read(Path file) {
        try {
            return RecipientTable.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("relay-recipients: cannot read " + file + ": " + dev.mta.server.config.FileErrors.why(e), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("relay-recipients: " + file + " " + e.getMessage(), e);
        }
    }

}
