package dev.mta.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads what can be reloaded (the relay recipient table). Installed only by the real process
 * ({@link MtaMain}), never by tests that run several MTAs in one JVM. The JVM runs the handler on a thread of its
 * own, never an event loop, so the reload may read the disk.
 */
final class HangupSignal {
    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {
    }

    /** Runs {@code reload} on every SIGHUP (instead of the JVM's default, which is to exit). */
    @SuppressWarnings("restriction")
    static void onHangup(Runnable reload) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    log.error("reload on SIGHUP failed: {}", e.toString());
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // -Xrs, or a platform without SIGHUP: reloading needs a restart there.
            log.warn("SIGHUP cannot be handled here ({}): a changed relay recipient table needs a restart", e.getMessage());
        }
    }
}
