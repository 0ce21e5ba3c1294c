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

    public static void main(String[] args) {
        System.exit(new CommandLine(new MtaBench()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
