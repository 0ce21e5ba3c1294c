package dev.mta.server;

import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The --config file: a properties file whose keys are the long option names, supplying defaults the flags override.
 * Values are taken without the white space around them. A file that cannot be read, or a key that names no option,
 * is reported when the command line is parsed, as any bad option is: one line, exit status 2.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Installs the file {@code args} name with --config (if any) as {@code cmd}'s source of defaults. */
    static void install(CommandLine cmd, String[] args) {
        Path file = find(args);
        if (file == null) {
            return;
        }
        Properties props;
        try {
            props = loadChecked(cmd, file);
        } catch (CommandLine.ParameterException e) {
            // Reported by the parse, like every other bad option (and never from here, where no handler is in place).
            cmd.setDefaultValueProvider(arg -> {
                throw e;
            });
            return;
        }
        cmd.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(props));
    }

    /** The file named by --config FILE or --config=FILE, or null. */
    static Path find(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    /** Reads the file and refuses keys that name no option, so a typo does not pass silently. */
    private static Properties loadChecked(CommandLine cmd, Path file) {
        Properties read = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            read.load(r);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cmd, "config: cannot read " + file + ": " + dev.mta.server.config.FileErrors.why(e));
        }
        Map<String, CommandLine.Model.OptionSpec> known = new HashMap<>();
        cmd.getCommandSpec().options().forEach(o -> known.put(o.longestName().replaceFirst("^-+", ""), o));
        known.remove("config");
        known.remove("help");
        known.remove("version");
        Properties props = new Properties();
        for (String key : read.stringPropertyNames()) {
            CommandLine.Model.OptionSpec option = known.get(key);
            if (option == null) {
                throw new CommandLine.ParameterException(cmd, "config: unknown key '" + key + "' in " + file);
            }
            String value = read.getProperty(key).strip();
            if (value.isEmpty() && option.type() == Path.class) {
                // An empty path would be the working directory: surely not meant.
                throw new CommandLine.ParameterException(cmd, "config: " + key + " has no value in " + file
                        + " (leave the key out for its default)");
            }
            props.setProperty(key, value);
        }
        return props;
    }

}
