package dev.mta.server.cli;

import dev.mta.server.config.Defaults;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue tool's command line: every subcommand takes --spool with the MTA's default spool, and shows it. */
class QueueCommandTest {
    @Test
    void everySubcommandDefaultsToTheMtasSpool() {
        CommandLine cmd = new CommandLine(new QueueCommand());
        assertEquals(7, cmd.getSubcommands().size());
        for (Map.Entry<String, CommandLine> e : cmd.getSubcommands().entrySet()) {
            CommandLine.Model.OptionSpec spool = e.getValue().getCommandSpec().findOption("--spool");
            assertEquals(Defaults.SPOOL, spool.defaultValue(), e.getKey());
            String help = e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(help.contains("(default: " + Defaults.SPOOL + ")"), help);
            assertTrue(help.contains("--json"), help);
        }
    }
}
