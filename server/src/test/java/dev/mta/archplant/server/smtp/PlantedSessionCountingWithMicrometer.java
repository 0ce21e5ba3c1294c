package dev.mta.archplant.server.smtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/** Breaks "sessions know no metrics library": a session that counts its commands with Micrometer itself. */
public final class PlantedSessionCountingWithMicrometer {
    private static final Counter COMMANDS = Counter.builder("planted.commands").register(Metrics.globalRegistry);

    public static void command() {
        COMMANDS.increment();
    }
}
