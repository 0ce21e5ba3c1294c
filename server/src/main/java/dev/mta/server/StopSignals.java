package dev.mta.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT begin the graceful stop ({@link Mta#close()}) on a thread of their own, so that the main thread,
 * waiting in {@link Mta#awaitStop()}, returns and the process exits 0: a stop that was asked for and went cleanly is
 * a success to a supervisor, not the JVM's 143. Installed first thing, so a signal that comes while the MTA is still
 * starting is kept and acted on as soon as there is an MTA to stop. Installed only by the real process.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private final AtomicBoolean asked = new AtomicBoolean();
    private volatile Runnable stop;

    private StopSignals() {
    }

    /** Handles SIGTERM and SIGINT from now on; what they stop is given later ({@link #stopWith}). */
    @SuppressWarnings("restriction")
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signals.signalled(name));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a platform without the signal: the shutdown hook still stops the MTA gracefully.
                log.debug("SIG{} not handled here: {}", name, e.getMessage());
            }
        }
        return signals;
    }

    /** {@code action} is what a stop signal runs (once); if one came already, it runs now. */
    void stopWith(Runnable action) {
        stop = action;
        if (asked.get()) {
            run(action);
        }
    }

    private void signalled(String name) {
        if (!asked.compareAndSet(false, true)) {
            log.info("SIG{} again: already stopping", name);
            return;
        }
        log.info("SIG{}: stopping", name);
        Runnable action = stop;
        if (action != null) {
            run(action);
        }
    }

    private static void run(Runnable action) {
        new Thread(action, "stop").start(); // Mta.close() is idempotent: a race between the two callers is harmless
    }
}
