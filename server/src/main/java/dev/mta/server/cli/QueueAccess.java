package dev.mta.server.cli;

import dev.mta.queue.SpoolReader;
import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.model.QueueEntry;
import dev.mta.server.control.ControlClient;
import dev.mta.server.control.MessageView;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the tool reaches the queue: the running MTA over its control channel; or, to read only (list, show,
 * summary), the spool of a stopped MTA as it stands on disk ({@link SpoolReader}: no lock taken, nothing written).
 * Changes (flush, delete, hold, release) need the running MTA: without one they are refused.
 */
final class QueueAccess {
    private final Path spool;
    private final ControlClient server;
    private final PrintWriter err;

    QueueAccess(Path spool, PrintWriter err) {
        this.spool = spool;
        this.server = new ControlClient(spool);
        this.err = err;
    }

    /** The MTA is not running, so what was asked cannot be done: one line, exit status 1. */
    static final class NoServer extends Exception {
        private static final long serialVersionUID = 1L;

        NoServer(String message) {
            super(message);
        }
    }

    /** The running MTA, for changes. */
    ControlClient server() {
        return server;
    }

    /** Turns "nothing answers" into the one line the operator reads. */
    NoServer noServer(ControlClient.NotRunning e) {
        OptionalLong holder = lockHolder();
        if (holder.isPresent()) {
            return new NoServer("process " + holder.getAsLong() + " holds spool " + spool
                    + " but does not answer on " + server.socket() + " (" + e.getMessage() + ")");
        }
        return new NoServer("no MTA is running on spool " + spool + " (" + e.getMessage() + ")");
    }

    List<MessageView> list() throws IOException {
        try {
            return server.list();
        } catch (ControlClient.NotRunning e) {
            try (SpoolReader reader = openSpool()) {
                List<MessageView> out = new ArrayList<>();
                for (QueueEntry entry : reader.list()) {
                    out.add(MessageView.of(entry));
                }
                return out;
            }
        }
    }

    Optional<MessageView> show(String id) throws IOException {
        try {
            return server.show(id);
        } catch (ControlClient.NotRunning e) {
            try (SpoolReader reader = openSpool()) {
                Optional<QueueAdmin.MessageDetails> d = reader.show(id);
                return d.map(MessageView::of);
            }
        }
    }

    private SpoolReader openSpool() throws IOException {
        if (!Files.isDirectory(spool)) {
            throw new NoSuchFileException(spool.toString(), null, "no spool there");
        }
        OptionalLong holder = lockHolder();
        if (holder.isPresent()) {
            err.println("mta: warning: process " + holder.getAsLong() + " holds spool " + spool + " but does not answer on "
                    + server.socket() + "; reading the files as they stand, which it may be changing");
        } else {
            err.println("mta: no MTA is running on spool " + spool + "; reading it as it stands on disk");
        }
        err.flush();
        return SpoolReader.open(spool);
    }

    /**
     * The process the spool's lock file names, when it is alive and a JVM: most likely an MTA that holds the spool
     * (it writes its pid there when it takes the lock). Only read, never locked: this says something went wrong
     * with its control channel, it decides nothing.
     */
    private OptionalLong lockHolder() {
        try {
            String text = Files.readString(spool.resolve("lock"), StandardCharsets.US_ASCII).strip();
            long pid = Long.parseLong(text);
            if (pid == ProcessHandle.current().pid()) {
                return OptionalLong.empty();
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            boolean javaAlive = p.isPresent() && p.get().isAlive()
                    && p.get().info().command().map(c -> c.contains("java")).orElse(true);
            return javaAlive ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
