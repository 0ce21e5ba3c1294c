package dev.mta.server;

import ch.qos.logback.classic.LoggerContext;
import dev.mta.queue.FatalErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the process when a part it cannot live without fails (the queue writer, an event loop, the relay
 * dispatcher): logs why and exits with status 70, so that a supervisor restarts the MTA rather than leaving a
 * process that accepts connections and never answers. Everything acknowledged is on disk; nothing is waited for.
 *
 * <p>The usual cause is an OutOfMemoryError, so the way out allocates nothing: the thread that exits is made at
 * start and only waits to be released.
 */
final class FatalExit implements FatalErrorHandler {
    static final int STATUS = 70; // EX_SOFTWARE
    private static final Logger log = LoggerFactory.getLogger(FatalExit.class);

    private final AtomicBoolean exiting = new AtomicBoolean();
    private final CountDownLatch go = new CountDownLatch(1);

    FatalExit() {
        Thread exit = new Thread(this::exitWhenReleased, "fatal-exit");
        exit.setDaemon(true);
        exit.start();
    }

    @Override
    public void fatal(String component, Throwable cause) {
        if (!exiting.compareAndSet(false, true)) {
            return;
        }
        go.countDown();
        try {
            log.error("{} failed and the MTA cannot go on without it; exiting with status {} to be restarted",
                    component, STATUS, cause);
        } catch (Throwable ignored) {
            // Out of memory, say: exit all the same.
        }
    }

    private void exitWhenReleased() {
        try {
            go.await();
            // A moment for the log line and the replies already written (451 to sessions the queue refused).
            Thread.sleep(300);
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
                ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
            }
        } catch (Throwable ignored) {
            // exit regardless
        } finally {
            // halt, not exit: the shutdown hook's graceful close would wait on the part that died.
            Runtime.getRuntime().halt(STATUS);
        }
    }
}
