package dev.mta.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Maildir of one of this MTA's local users, read byte for byte. */
final class OurMailbox {
    private OurMailbox() {
    }

    /** The files of {@code mailRoot/user/Maildir}'s {@code new/} and {@code cur/}, in name order. */
    static List<byte[]> read(Path mailRoot, String user) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = mailRoot.resolve(user).resolve("Maildir").resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.sorted().toList()) {
                    out.add(Files.readAllBytes(f));
                }
            }
        }
        return out;
    }
}
