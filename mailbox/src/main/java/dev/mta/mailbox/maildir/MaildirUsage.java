package dev.mta.mailbox.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** How many bytes a Maildir's messages take ({@code new/} and {@code cur/}), from the S= in their names where given. */
public final class MaildirUsage {
    private MaildirUsage() {
    }

    /** The bytes of every message in {@code maildir}; 0 when it does not exist. Blocks on the disk. */
    public static long of(Path maildir) throws IOException {
        return bytesIn(maildir.resolve("new")) + bytesIn(maildir.resolve("cur"));
    }

    private static long bytesIn(Path dir) throws IOException {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                long size = MaildirName.parse(name).size();
                if (size < 0) {
                    try {
                        size = Files.size(f);
                    } catch (NoSuchFileException gone) { // taken by a reader meanwhile
                        size = 0;
                    }
                }
                total += size;
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return total;
    }
}
