package dev.mta.queue.spool;

import dev.mta.queue.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueIdGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A spool of one file per message. A message is written under {@code incoming/}, fsynced, renamed into
 * {@code queue/} and the directory fsynced before its commit completes, so a file in {@code queue/} is always
 * whole and acknowledged, and anything left in {@code incoming/} after a crash was never acknowledged.
 */
public final class FileSpool implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(FileSpool.class);

    private final Path incoming;
    private final Path queue;
    private final ExecutorService io;
    private final QueueIdGenerator ids = new QueueIdGenerator();

    private FileSpool(Path root, int ioThreads) {
        this.incoming = root.resolve("incoming");
        this.queue = root.resolve("queue");
        AtomicInteger n = new AtomicInteger();
        this.io = new ThreadPoolExecutor(ioThreads, ioThreads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "spool-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens (creating if needed) the spool under {@code root} and clears what an earlier crash left half-written. */
    public static FileSpool open(Path root, int ioThreads) throws IOException {
        FileSpool spool = new FileSpool(root, ioThreads);
        Files.createDirectories(spool.incoming);
        Files.createDirectories(spool.queue);
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(spool.incoming)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        if (removed > 0) {
            log.info("removed {} unacknowledged message(s) left in {}", removed, spool.incoming);
        }
        return spool;
    }

    @Override
    public IncomingMessage receive(Envelope envelope) {
        String id = ids.next();
        return new SpoolFileWriter(this, id, SpoolFormat.encodeEnvelope(id, System.currentTimeMillis(), envelope));
    }

    /** The queued messages' files, oldest id first. */
    public List<Path> queuedFiles() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(queue)) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    /** Reads one queued message whole. */
    public static SpooledMessage read(Path file) throws IOException {
        return SpoolFormat.decode(Files.readAllBytes(file));
    }

    Path incomingFile(String id) {
        return incoming.resolve(id);
    }

    Path queueFile(String id) {
        return queue.resolve(id);
    }

    ExecutorService io() {
        return io;
    }

    /** Makes the rename of a file into the queue directory durable. */
    void syncQueueDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(queue, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public void close() {
        io.shutdown();
        try {
            if (!io.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("spool I/O did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
