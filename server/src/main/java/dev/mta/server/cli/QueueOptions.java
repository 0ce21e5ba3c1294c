package dev.mta.server.cli;

import dev.mta.server.config.Defaults;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What every {@code mta queue} subcommand takes: the spool (the server is found through it) and the output form. */
public final class QueueOptions {
    @Option(names = "--spool", paramLabel = "DIR", defaultValue = Defaults.SPOOL,
            description = "The MTA's spool directory; its control socket is DIR/control.sock (default: ${DEFAULT-VALUE})")
    Path spool;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The MTA's --config file, to take its spool setting from")
    Path config;

    @Option(names = "--json", description = "Print JSON instead of text")
    boolean json;

    public Path spool() {
        return spool;
    }

    public boolean json() {
        return json;
    }
}
