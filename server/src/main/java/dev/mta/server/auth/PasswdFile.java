package dev.mta.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Dovecot-style passwd-file: {@code user:{SCHEME}hash} a line, further colon fields allowed and ignored (uid,
 * gid, home, ... as in Dovecot's passwd-file), {@code #} comments and blank lines. The lines are kept as read, so
 * that the {@code user} command can change one and write the others back untouched.
 */
public final class PasswdFile {
    private final Path path;
    private final List<String> lines;
    /** User name to the index of its line. */
    private final Map<String, Integer> users;

    private PasswdFile(Path path, List<String> lines, Map<String, Integer> users) {
        this.path = path;
        this.lines = lines;
        this.users = users;
    }

    /**
     * Reads the file's structure (names, duplicates), not its hashes; IllegalArgumentException as one line naming
     * the file and line. A missing file is an empty one when {@code missingIsEmpty}.
     */
    public static PasswdFile read(Path path, boolean missingIsEmpty) throws IOException {
        if (missingIsEmpty && !Files.exists(path)) {
            return new PasswdFile(path, new ArrayList<>(), new LinkedHashMap<>());
        }
        String text = Files.readString(path, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the final newline ends the last line, it does not start one
        }
        Map<String, Integer> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripCr(lines.get(i));
            if (isComment(line)) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String problem = colon < 0 ? "no ':' after the user name" : nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException(where(path, i) + problem);
            }
            if (users.putIfAbsent(name, i) != null) {
                throw new IllegalArgumentException(where(path, i) + "user " + name + " again (first on line "
                        + (users.get(name) + 1) + ")");
            }
            for (Map.Entry<String, Integer> other : users.entrySet()) {
                if (!other.getKey().equals(name) && other.getKey().equalsIgnoreCase(name)) {
                    // Mail finds a mailbox by its name in any case: two such users would share one's mail.
                    throw new IllegalArgumentException(where(path, i) + "user " + name + " differs from "
                            + other.getKey() + " (line " + (other.getValue() + 1) + ") only in case");
                }
            }
        }
        return new PasswdFile(path, lines, users);
    }

    /** The users file the server serves: as {@link #read}, and a file it cannot read is one line naming it. */
    public static PasswdFile load(Path path) {
        try {
            return read(path, false);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read users file " + path + ": "
                    + dev.mta.server.config.FileErrors.why(e));
        }
    }

    /** "FILE:LINE: ", the start of every error about a line. */
    static String where(Path path, int index) {
        return path + ":" + (index + 1) + ": ";
    }

    private static boolean isComment(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /**
     * Why {@code name} cannot be a user name, or null: not empty, no colon, space, control character or leading #,
     * and a name a mailbox folder can have (no slash, not "." or "..").
     */
    public static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "empty user name";
        }
        String folder = dev.mta.mailbox.maildir.MailRoot.nameProblem(name);
        if (folder != null) {
            return "a user name is also the name of its mailbox folder: " + folder;
        }
        if (name.startsWith("#")) {
            return "a user name cannot start with #";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "a user name cannot hold ':', spaces or control characters";
            }
        }
        return null;
    }

    public Path path() {
        return path;
    }

    public boolean contains(String user) {
        return users.containsKey(user);
    }

    /** The user whose name is {@code user} in another case, or null (a new user may not be one). */
    public String sameNameInOtherCase(String user) {
        for (String name : users.keySet()) {
            if (!name.equals(user) && name.equalsIgnoreCase(user)) {
                return name;
            }
        }
        return null;
    }

    /** Each user's name as written, by its lower case (names that differ only in case are refused at read). */
    public Map<String, String> namesByLowerCase() {
        Map<String, String> out = new java.util.HashMap<>();
        users.keySet().forEach(name -> out.put(name.toLowerCase(java.util.Locale.ROOT), name));
        return Map.copyOf(out);
    }

    /** User name to its password field (the second), in file order. */
    public Map<String, String> passwordFields() {
        Map<String, String> out = new LinkedHashMap<>();
        users.forEach((name, i) -> out.put(name, field(stripCr(lines.get(i)), 1)));
        return out;
    }

    /** The 0-based line of {@code user}'s entry. */
    public int lineOf(String user) {
        return users.get(user);
    }

    private static String field(String line, int n) {
        String[] f = line.split(":", -1);
        return n < f.length ? f[n] : "";
    }

    /** Appends {@code user:field}. */
    public void add(String user, String passwordField) {
        if (users.containsKey(user)) {
            throw new IllegalStateException(user + " exists");
        }
        lines.add(user + ":" + passwordField);
        users.put(user, lines.size() - 1);
    }

    /** Replaces {@code user}'s password field, keeping its other fields. */
    public void setPassword(String user, String passwordField) {
        int i = users.get(user);
        String line = stripCr(lines.get(i));
        String[] f = line.split(":", -1);
        f[1] = passwordField;
        lines.set(i, String.join(":", f) + (lines.get(i).endsWith("\r") ? "\r" : ""));
    }

    /** Removes {@code user}'s line. */
    public void delete(String user) {
        int i = users.remove(user);
        lines.remove(i);
        users.replaceAll((name, at) -> at > i ? at - 1 : at);
    }

    /** The file's text: every line, each ending with a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    List<String> lines() {
        return Collections.unmodifiableList(lines);
    }
}
