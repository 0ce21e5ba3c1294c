package dev.mta.server;

import ch.qos.logback.classic.Level;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The --log-level setting: levels that win over the logging configuration's (logback.xml), per logger, written as
 * the other maps are: {@code root=info, mail=debug, dev.mta.relay=trace}. {@code root} is the root logger; a logger
 * covers the loggers below it. Levels: trace, debug, info, warn, error, off.
 *
 * @param levels logger name to level, in the order written
 */
record LogLevels(Map<String, Level> levels) {
    /** Nothing overridden: the logging configuration's own levels. */
    static final LogLevels NONE = new LogLevels(Map.of());

    LogLevels {
        levels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }

    /** Reads {@code logger=level, ...} (null or blank: none); an error names the bad entry. */
    static LogLevels parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, Level> out = new LinkedHashMap<>();
        for (String entry : text.split(",", -1)) {
            String[] kv = entry.strip().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[0].strip().contains(" ")) {
                throw new IllegalArgumentException("entry needs logger=level (root for the root logger): " + entry.strip());
            }
            String logger = kv[0].strip();
            String name = logger.equalsIgnoreCase("root") ? org.slf4j.Logger.ROOT_LOGGER_NAME : logger;
            if (out.containsKey(name)) {
                throw new IllegalArgumentException(logger + " is given twice");
            }
            out.put(name, level(kv[1].strip()));
        }
        return new LogLevels(out);
    }

    private static Level level(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "trace": return Level.TRACE;
            case "debug": return Level.DEBUG;
            case "info": return Level.INFO;
            case "warn": return Level.WARN;
            case "error": return Level.ERROR;
            case "off": return Level.OFF;
            default:
                throw new IllegalArgumentException("level must be trace, debug, info, warn, error or off, not " + text);
        }
    }

    /** As the setting writes it. */
    @Override
    public String toString() {
        return levels.entrySet().stream()
                .map(e -> (e.getKey().equals(org.slf4j.Logger.ROOT_LOGGER_NAME) ? "root" : e.getKey()) + "="
                        + e.getValue().toString().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
