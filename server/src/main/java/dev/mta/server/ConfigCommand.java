package dev.mta.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mta config [--all] [server flags]}: the settings the server would run with, read from the same flags and
 * --config file, checked as a start checks them, printed in the --config file's syntax ({@code key = value}): those
 * that differ from the embedded defaults (as Postfix's {@code postconf -n}), or with {@code --all} every one. Nothing
 * is opened or bound, so it may run beside the server; bad configuration is one line and exit status 2.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the settings that differ from the defaults, as a --config file writes them",
                "Reads the same flags and --config file as the server (before or after the word config) and checks them "
                        + "as a start does; starts nothing. --all prints every setting. E.g. mta config --config /etc/mta/mta.conf"})
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--all", description = "Every setting, the defaults too; keys without a value as comments")
    boolean all;

    /** The server's flags, given after {@code config}. */
    @Unmatched
    List<String> serverFlags = new ArrayList<>();

    @Override
    public Integer call() {
        String[] args = serverArgs();
        CommandLine server = MtaMain.commandLine(args);
        try {
            server.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            spec.commandLine().getErr().println("mta: " + e.getMessage() + " (see mta --help)");
            return CommandLineErrors.USAGE;
        }
        MtaMain main = server.getCommand();
        main.check(); // an IllegalArgumentException naming the key: one line, exit status 2
        EffectiveSettings settings = EffectiveSettings.of(server.getCommandSpec());
        PrintWriter out = spec.commandLine().getOut();
        for (EffectiveSettings.Setting s : all ? settings.all() : settings.changed()) {
            out.println(s.line());
        }
        out.flush();
        return 0;
    }

    /** The flags given before {@code config} (the server's), then those after it. */
    private String[] serverArgs() {
        List<String> original = spec.parent().commandLine().getParseResult().originalArgs();
        // picocli never takes a subcommand's name as an option's value, so the first "config" is this command.
        List<String> args = new ArrayList<>(original.subList(0, original.indexOf(spec.name())));
        args.addAll(serverFlags);
        return args.toArray(String[]::new);
    }
}
