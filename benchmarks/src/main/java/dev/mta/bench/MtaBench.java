package dev.mta.bench;

import dev.mta.bench.load.LoadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The benchmark harness's command line, {@code java -jar benchmarks/target/mta-bench.jar SUBCOMMAND ...}. */
@Command(name = "mta-bench", mixinStandardHelpOptions = true,
        description = "Benchmark harness: an SMTP load generator, an SMTP sink, a side-by-side comparison and JMH benchmarks.",
        subcommands = {
                // Subcommands, one class each.
                LoadCommand.class, dev.mta.bench.sink.SinkCommand.class,
                dev.mta.bench.compare.CompareCommand.class, JmhCommand.class,
                CommandLine.HelpCommand.class})
public final class MtaBench implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Bad usage: a bad option, or a file, port or program the command line names that cannot be used. */
    public static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line. A file or port it names that cannot be used (a --json path, an --expect file, a --listen
     * port in use, an --mta-jar that does not start) is one line and exit 2, like a bad option, not a stack trace:
     * exit 1 stays what the tools use for "not every message arrived once".
     */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new MtaBench());
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("mta-bench " + c.getCommandName() + ": " + oneLine(e));
            return USAGE;
        });
        return cmd;
    }

    private static String oneLine(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof java.io.IOException)) {
            t = t.getCause();
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            return t.getMessage() + ": no such file";
        }
        if (t instanceof java.nio.file.AccessDeniedException) {
            return t.getMessage() + ": permission denied";
        }
        String m = t.getMessage();
        return (m == null ? t.toString() : m).replace('\n', ' ');
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
