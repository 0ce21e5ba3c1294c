package dev.mta.mailbox.aliases;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.PathParser;
import dev.mta.protocol.command.PathSyntaxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an aliases file in the classic {@code /etc/aliases} form: {@code name: target, target, ...}, a line that
 * starts with white space going on with the entry above, {@code #} comments and blank lines. Targets are addresses
 * ({@code user@domain}, or a bare local name); pipes to commands, files and {@code :include:} are refused, since
 * this MTA runs no programs and writes only Maildirs. Every error is one line naming the file and line.
 */
public final class AliasFile {
    private AliasFile() {
    }

    /** The table in {@code file}; IllegalArgumentException naming the file (and line) when it cannot be used. */
    public static AliasTable read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read aliases file " + file + ": " + why(e));
        }
        return parse(file, text);
    }

    private static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The table in {@code text}, read from {@code file} (named in errors). */
    public static AliasTable parse(Path file, String text) {
        Map<String, Alias> aliases = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = stripCr(lines[i]);
            if (isSkipped(line)) {
                i++;
                continue;
            }
            int start = i;
            if (Character.isWhitespace(line.charAt(0))) {
                throw new IllegalArgumentException(where(file, start) + "a continuation line with no entry above it");
            }
            StringBuilder entry = new StringBuilder(line);
            while (i + 1 < lines.length && continues(stripCr(lines[i + 1]))) {
                i++;
                String next = stripCr(lines[i]);
                if (!next.strip().startsWith("#")) {
                    entry.append(' ').append(next.strip());
                }
            }
            i++;
            Alias alias = entry(file, start, entry.toString());
            String key = AliasTable.key(alias.name());
            if (aliases.putIfAbsent(key, alias) != null) {
                throw new IllegalArgumentException(where(file, start) + "alias " + alias.name() + " again (first on line "
                        + (firstLine.get(key) + 1) + ")");
            }
            firstLine.put(key, start);
        }
        return new AliasTable(file, aliases);
    }

    private static boolean isSkipped(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    private static boolean continues(String next) {
        return !next.isEmpty() && Character.isWhitespace(next.charAt(0)) && !next.isBlank();
    }

    private static Alias entry(Path file, int index, String entry) {
        int colon = entry.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(where(file, index) + "no ':' after the alias name");
        }
        String name = entry.substring(0, colon).strip();
        if (name.isEmpty() || name.chars().anyMatch(c -> c == '@' || Character.isWhitespace(c) || c < 0x20)) {
            throw new IllegalArgumentException(where(file, index) + "bad alias name \"" + name + "\"");
        }
        List<MailPath> targets = new ArrayList<>();
        for (String raw : entry.substring(colon + 1).split(",", -1)) {
            String t = raw.strip();
            if (t.isEmpty()) {
                continue;
            }
            targets.add(target(file, index, name, t));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(where(file, index) + "alias " + name + " has no targets");
        }
        return new Alias(name, targets);
    }

    private static MailPath target(Path file, int index, String name, String t) {
        String at = where(file, index) + "alias " + name + ": ";
        String bare = t.startsWith("\"") && t.endsWith("\"") && t.length() > 1 ? t.substring(1, t.length() - 1).strip() : t;
        if (bare.startsWith("|")) {
            throw new IllegalArgumentException(at + "\"" + t + "\": pipes to commands are not supported; targets are addresses only");
        }
        if (bare.startsWith("/")) {
            throw new IllegalArgumentException(at + "\"" + t + "\": delivery to files is not supported; targets are addresses only");
        }
        if (bare.regionMatches(true, 0, ":include:", 0, 9)) {
            throw new IllegalArgumentException(at + "\"" + t + "\": :include: is not supported; list the addresses here");
        }
        String path = t.startsWith("<") ? t : "<" + t + ">";
        try {
            PathParser.Result r = PathParser.parse(path, 0, false, false);
            if (r.end() != path.length()) {
                throw new PathSyntaxException("text after the address");
            }
            return r.path();
        } catch (PathSyntaxException e) {
            if (!t.contains("@")) {
                MailPath local = localName(t);
                if (local != null) {
                    return local;
                }
            }
            throw new IllegalArgumentException(at + "\"" + t + "\" is not an address (" + e.getMessage() + ")");
        }
    }

    /** A bare local name ({@code alice}), checked as the local part of an address would be. */
    private static MailPath localName(String t) {
        String probe = "<" + t + "@localhost>";
        try {
            PathParser.Result r = PathParser.parse(probe, 0, false, false);
            return r.end() == probe.length() ? new MailPath(r.path().localPart(), "", r.path().isUtf8()) : null;
        } catch (PathSyntaxException e) {
            return null;
        }
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String where(Path file, int index) {
        return file + ":" + (index + 1) + ": ";
    }
}
