package dev.mta.server.support;

import dev.mta.server.auth.PasswordHash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A passwd-file for --users written by a test: each user with a BLF-CRYPT hash of its password. */
public final class UsersFile {
    private UsersFile() {
    }

    /** Writes {@code users} (name to password) to {@code file}. */
    public static Path write(Path file, Map<String, String> users) throws IOException {
        StringBuilder sb = new StringBuilder();
        users.forEach((name, pw) -> sb.append(name).append(':')
                .append(PasswordHash.create("BLF-CRYPT", pw.toCharArray()).encoded()).append('\n'));
        return Files.writeString(file, sb.toString());
    }
}
