package dev.mta.server;

import dev.mta.queue.log.NewerFormatException;
import picocli.CommandLine;

/**
 * Bad configuration and failures to start are one line on stderr and a non-zero status, never a stack trace:
 * the line names the option, or says what stood in the way (the port, the spool).
 */
final class CommandLineErrors {
    /** Exit status for bad configuration (as picocli's for a bad option). */
    static final int USAGE = 2;

    private CommandLineErrors() {
    }

    /** Makes {@code cmd} report a bad option with {@link #USAGE}, a failed start with 1, each in one line. */
    static void reportInOneLine(CommandLine cmd) {
        cmd.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("mta: " + e.getMessage() + " (see --help)");
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("mta: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            // A spool of a newer format is a configuration problem (wrong build or wrong spool), not a failed start.
            return e instanceof IllegalArgumentException || e instanceof NewerFormatException ? USAGE : 1;
        });
    }
}
