package dev.mta.server.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file whole or not at all: the new text goes to a temporary file beside it (mode 0600 from the start),
 * which is fsynced, given the old file's mode (and group, when we may), renamed over the old one, and the directory
 * fsynced. A reader sees the old file or the new one, never a mix; a crash leaves at most a stray temporary file.
 * A new file is 0600.
 */
final class AtomicFile {
    static final Set<PosixFilePermission> NEW_FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private AtomicFile() {
    }

    static void replace(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp"); // 0600 on POSIX
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (view != null) {
                if (Files.exists(abs)) {
                    view.setPermissions(Files.getPosixFilePermissions(abs));
                    try {
                        view.setGroup(Files.readAttributes(abs, java.nio.file.attribute.PosixFileAttributes.class).group());
                    } catch (IOException | SecurityException e) {
                        // Not our group to give: the mode is kept, the group becomes ours.
                    }
                } else {
                    view.setPermissions(NEW_FILE_MODE);
                }
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself on disk
        } catch (AccessDeniedException | UnsupportedOperationException e) {
            // A directory that cannot be opened for reading: the rename is done, only its durability is the OS's.
        }
    }
}
