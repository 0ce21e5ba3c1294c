package dev.mta.server;

import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/** The --config file: a properties file whose keys are the long option names, supplying defaults the flags override. */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Installs the file {@code args} name with --config (if any) as {@code cmd}'s source of defaults. */
    static void install(CommandLine cmd, String[] args) {
        Path file = find(args);
        if (file != null) {
            cmd.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(loadChecked(cmd, file)));
        }
    }

    private static Path find(String[] args) {
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
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cmd, "cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> known = new HashSet<>();
        cmd.getCommandSpec().options().forEach(o -> known.add(o.longestName().replaceFirst("^-+", "")));
        known.remove("config");
        for (String key : props.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new CommandLine.ParameterException(cmd, "unknown key '" + key + "' in " + file);
            }
        }
        return props;
    }
}
