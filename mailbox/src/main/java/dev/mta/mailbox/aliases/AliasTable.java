package dev.mta.mailbox.aliases;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The aliases read from one file, looked up by local part in any case. Immutable: a reload makes a new one. */
public final class AliasTable {
    /** No aliases. */
    public static final AliasTable EMPTY = new AliasTable(null, Map.of());

    private final Path file;
    private final Map<String, Alias> byName;

    AliasTable(Path file, Map<String, Alias> byName) {
        this.file = file;
        this.byName = Map.copyOf(byName);
    }

    /** The alias named {@code localPart} (any case), or null. */
    public Alias find(String localPart) {
        return byName.get(key(localPart));
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public int size() {
        return byName.size();
    }

    /** The file read, or null for {@link #EMPTY}. */
    public Path file() {
        return file;
    }
}
