package dev.mta.bench.load;

import picocli.CommandLine;

import java.io.PrintStream;
import java.io.OutputStream;

/** Test helper: settings as the {@code load} command line parses them, and a quiet run of them. */
final class LoadArgs {
    private LoadArgs() {
    }

    static LoadSettings parse(String... args) {
        LoadCommand cmd = new LoadCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.settings();
    }

    static LoadReport run(String... args) throws Exception {
        return LoadRun.run(parse(args), new PrintStream(OutputStream.nullOutputStream()), false, 0);
    }
}
