package dev.mta.server.dkim;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code mta dkim keygen|check}: makes DKIM signing keys with the DNS record that publishes each, and checks that
 * what DNS serves matches the keys. Exit status: 0 done (check: every key matches); 1 refused or not matching;
 * 2 bad usage.
 */
@Command(name = "dkim", mixinStandardHelpOptions = true,
        description = "DKIM signing keys: keygen makes one and prints its DNS record, check compares DNS with the keys",
        subcommands = {KeygenCommand.class, CheckCommand.class})
public final class DkimCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("mta: dkim needs a subcommand: keygen or check (see mta dkim --help)");
        return USAGE;
    }
}
