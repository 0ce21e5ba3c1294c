package dev.mta.server.http;

import dev.mta.queue.model.StorageFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tries the spool every few seconds, on a thread of its own (never an event loop): writes a small file and deletes
 * it, and measures the free space. Readiness reads the last result, so a full or unwritable disk shows before mail
 * meets it, and the end of one shows even when no mail arrives to find out.
 */
public final class SpoolProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpoolProbe.class);
    /** The file written and deleted: a page, so a file system that delays allocation still checks for room. */
    static final String FILE = "health-probe.tmp";
    private static final int BYTES = 4096;

    /** What the probe found. */
    public enum Problem { NONE, DISK_FULL, UNWRITABLE }

    /**
     * The last probe's result: its problem and detail, when ({@link System#nanoTime()}) a probe last succeeded
     * (0: never), and the bytes free for us on the spool's file system (-1 when unknown).
     */
    public record State(Problem problem, String detail, long lastOkNanos, long freeBytes) {
    }

    private final Path dir;
    private final ScheduledExecutorService timer;
    private volatile State state = new State(Problem.NONE, "", 0, -1);

    private SpoolProbe(Path dir) {
        this.dir = dir;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spool-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes {@code spool} once now, then every {@code interval}. */
    public static SpoolProbe start(Path spool, Duration interval) {
        SpoolProbe p = new SpoolProbe(spool);
        p.probe();
        p.timer.scheduleWithFixedDelay(p::probe, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        return p;
    }

    public State state() {
        return state;
    }

    void probe() {
        State before = state;
        Path file = dir.resolve(FILE);
        State now;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer page = ByteBuffer.allocate(BYTES);
            while (page.hasRemaining()) {
                ch.write(page);
            }
            now = new State(Problem.NONE, "", System.nanoTime(), free());
        } catch (IOException | RuntimeException e) {
            boolean full = e instanceof IOException && StorageFullException.isNoSpace((IOException) e);
            now = new State(full ? Problem.DISK_FULL : Problem.UNWRITABLE, e.toString(), before.lastOkNanos(), free());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException | RuntimeException e) {
                log.debug("cannot delete {}: {}", file, e.toString());
            }
        }
        if (now.problem() != before.problem()) {
            if (now.problem() == Problem.NONE) {
                log.info("spool {} is writable again", dir);
            } else {
                log.warn("spool {} probe failed: {}", dir, now.detail());
            }
        }
        state = now;
    }

    private long free() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
