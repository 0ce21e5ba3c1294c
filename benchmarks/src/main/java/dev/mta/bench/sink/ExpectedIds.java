package dev.mta.bench.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/** The ids the sink expects each exactly once: read from a file, or a prefix followed by numbers. */
public interface ExpectedIds {
    /** How many ids are expected. */
    long size();

    boolean contains(String id);

    /** Hands every expected id to {@code each}, in order. */
    void forEach(Consumer<String> each);

    /** The ids of {@code file}, one a line; blank lines are skipped. */
    static ExpectedIds fromFile(Path file) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        try (var lines = Files.lines(file)) {
            lines.map(String::trim).filter(l -> !l.isEmpty()).forEach(ids::add);
        }
        return of(ids);
    }

    /** These ids. */
    static ExpectedIds of(Set<String> ids) {
        Set<String> copy = Set.copyOf(ids);
        return new ExpectedIds() {
            public long size() {
                return copy.size();
            }

            public boolean contains(String id) {
                return copy.contains(id);
            }

            public void forEach(Consumer<String> each) {
                ids.forEach(each);
            }
        };
    }

    /** {@code prefix + first}, {@code prefix + (first + 1)}, ... : {@code count} ids in all. */
    static ExpectedIds numbered(String prefix, long first, long count) {
        return new ExpectedIds() {
            public long size() {
                return count;
            }

            public boolean contains(String id) {
                if (!id.startsWith(prefix) || id.length() == prefix.length() || id.length() - prefix.length() > 18) {
                    return false;
                }
                String digits = id.substring(prefix.length());
                if (!digits.chars().allMatch(Character::isDigit) || (digits.length() > 1 && digits.charAt(0) == '0')) {
                    return false;
                }
                long n = Long.parseLong(digits);
                return n >= first && n < first + count;
            }

            public void forEach(Consumer<String> each) {
                for (long n = first; n < first + count; n++) {
                    each.accept(prefix + n);
                }
            }
        };
    }
}
