package dev.mta.queue;

/**
 * Hears of failures a part of the MTA cannot go on from (a thread it cannot live without died, the disk fails every
 * fsync). The server's handler logs and exits non-zero, so that a supervisor restarts the process; everything
 * acknowledged is on disk by then.
 */
@FunctionalInterface
public interface FatalErrorHandler {
    /** Only logs: for tools and tests that open a queue without a process to end. */
    FatalErrorHandler LOG_ONLY = (component, cause) ->
            org.slf4j.LoggerFactory.getLogger(FatalErrorHandler.class).error("{} cannot go on", component, cause);

    void fatal(String component, Throwable cause);
}
