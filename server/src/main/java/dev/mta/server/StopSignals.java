package dev.mta.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT begin the graceful stop ({@link Mta#close()}) on a thread of their own, so that the main thread,
 * waiting in {@link Mta#awaitStop()}, returns and the process exits 0: a stop that was asked for and went cleanly is
 * a success to a supervisor, not the JVM's 143. Installed only by the real process.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /** Runs {@code stop} once on the first SIGTERM or SIGINT; later ones are only logged. */
    @SuppressWarnings("restriction")
    static void onStop(Runnable stop) {
        java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    if (!asked.compareAndSet(false, true)) {
                        log.info("SIG{} again: already stopping", name);
                        return;
                    }
                    log.info("SIG{}: stopping", name);
                    Thread t = new Thread(stop, "stop");
                    t.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a platform without the signal: the shutdown hook still stops the MTA gracefully.
                log.debug("SIG{} not handled here: {}", name, e.getMessage());
            }
        }
    }
}
