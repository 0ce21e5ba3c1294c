package dev.mta.server;

import picocli.CommandLine.Option;

import static dev.mta.server.OptionValues.parsed;

/** {@code --log-level}, a picocli mixin of {@link MtaMain}: log levels over the logging configuration's; reread on SIGHUP. */
final class LogOptions {
    @Option(names = "--log-level", paramLabel = "LOGGER=LEVEL[,...]",
            description = "Log levels over logback.xml's, e.g. root=warn, dev.mta.mail=info, dev.mta.relay=debug (levels trace, debug, info, warn, error, off); reread on SIGHUP (default: none, logback.xml's levels)")
    String logLevel;

    /** The levels this option names; IllegalArgumentException naming the key when it is bad. */
    LogLevels levels() {
        return parsed("log-level", () -> LogLevels.parse(logLevel));
    }
}
