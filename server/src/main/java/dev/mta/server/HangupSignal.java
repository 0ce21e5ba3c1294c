package dev.mta.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads what can be reloaded (the configuration: routes, relay rules with the relay recipient table, log
 * levels, see {@link ConfigReload}; the TLS certificate; the users of AUTH), each on its own: one that fails does not
 * keep the others from reloading. Installed only by the real process
 * ({@link MtaMain}), never by tests that run several MTAs in one JVM. The JVM runs the handler on a thread of its
 * own, never an event loop, so the reload may read the disk.
 */
final class HangupSignal {
    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {
    }

    /** Runs each of {@code reloads}, in order, on every SIGHUP (instead of the JVM's default, which is to exit). */
    @SuppressWarnings("restriction")
    static void onHangup(Runnable... reloads) {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> runAll(reloads));
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // Started ignoring SIGHUP (nohup): the JVM leaves it ignored, and a reload would do nothing, silently.
                log.warn("SIGHUP is ignored by this process (started under nohup?): a changed configuration, relay"
                        + " recipient table, TLS certificate, users or aliases file needs a restart");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // -Xrs, or a platform without SIGHUP: reloading needs a restart there.
            log.warn("SIGHUP cannot be handled here ({}): a changed configuration, relay recipient table, TLS certificate or users file needs a restart",
                    e.getMessage());
        }
    }

    /** What a SIGHUP runs: every reload, each failure logged and the next one still run. */
    static void runAll(Runnable... reloads) {
        for (Runnable reload : reloads) {
            try {
                reload.run();
            } catch (RuntimeException e) {
                log.error("reload on SIGHUP failed: {}", e.toString());
            }
        }
    }
}
