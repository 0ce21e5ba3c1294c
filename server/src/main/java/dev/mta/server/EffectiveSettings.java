package dev.mta.server;

import dev.mta.server.config.Defaults;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a parsed command line holds, one per key (the long option name without dashes), as a --config file
 * writes them: what {@code mta config} prints and what a reload compares. Built from picocli's own list of options,
 * so a new option is here without anyone adding it.
 */
final class EffectiveSettings {
    /** Options that are no settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("config", "help", "version");
    /** Keys whose default is worked out at start rather than written down. */
    private static final Map<String, Supplier<String>> COMPUTED = Map.of("hostname", Defaults::hostname);
    private static final Pattern DEFAULT_IN_HELP = Pattern.compile("\\(default: ([^)]*)\\)");

    /**
     * One setting.
     *
     * @param key          the key, e.g. {@code smtp-listen}
     * @param value        its value as the file writes it; null when it is not set (no default either)
     * @param defaultValue the embedded default as the file writes it; null for none
     * @param unsetMeans   what an unset key means, from the option's help (e.g. "the system's resolvers")
     */
    record Setting(String key, String value, String defaultValue, String unsetMeans) {
        /** Whether the value is not the embedded default. */
        boolean changed() {
            return !same(value, defaultValue);
        }

        /** The line {@code mta config} prints: {@code key = value}, or a comment for a key without a value. */
        String line() {
            if (value != null) {
                // A backslash is the properties format's escape: written doubled, it reads back as itself.
                return value.isEmpty() ? key + " =" : key + " = " + value.replace("\\", "\\\\");
            }
            String computed = COMPUTED.containsKey(key) ? COMPUTED.get(key).get() : null;
            if (computed != null) {
                return key + " = " + computed;
            }
            return "# " + key + ": not set" + (unsetMeans != null ? " (" + unsetMeans + ")" : "");
        }
    }

    private final List<Setting> settings;

    private EffectiveSettings(List<Setting> settings) {
        this.settings = List.copyOf(settings);
    }

    /** The settings of {@code spec}'s options as they stand (after a parse), sorted by key. */
    static EffectiveSettings of(CommandSpec spec) {
        List<Setting> out = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            String key = key(o);
            if (NOT_SETTINGS.contains(key)) {
                continue;
            }
            out.add(new Setting(key, text(o.getValue()), defaultText(o), unsetMeans(o)));
        }
        out.sort(Comparator.comparing(Setting::key));
        return new EffectiveSettings(out);
    }

    /** The key of an option: its long name without the dashes. */
    static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    /** Every setting, sorted by key. */
    List<Setting> all() {
        return settings;
    }

    /** The settings whose value is not the embedded default (as {@code postconf -n}). */
    List<Setting> changed() {
        return settings.stream().filter(Setting::changed).toList();
    }

    /** Key to value (null: not set), for comparing one configuration with the next. */
    Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        settings.forEach(s -> m.put(s.key(), s.value()));
        return m;
    }

    /** Whether two values of a key are the same setting: equal but for white space around a list's commas. */
    static boolean same(String a, String b) {
        return java.util.Objects.equals(normal(a), normal(b));
    }

    private static String normal(String text) {
        return text == null ? null : text.strip().replaceAll("\\s*,\\s*", ",");
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String defaultText(OptionSpec o) {
        if (o.defaultValue() != null) {
            return o.defaultValue();
        }
        return o.arity().max() == 0 && (o.type() == boolean.class || o.type() == Boolean.class) ? "false" : null;
    }

    private static String unsetMeans(OptionSpec o) {
        Matcher m = DEFAULT_IN_HELP.matcher(String.join(" ", o.description()));
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found == null || found.contains("${") ? null : found;
    }
}
