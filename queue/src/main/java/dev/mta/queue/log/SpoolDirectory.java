package dev.mta.queue.log;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes the spool directory, readable by the MTA's own user only (0700, as Postfix's queue directories): the segments
 * hold every message's content, so no other local user may read them, whatever the umask gives the files inside.
 * A directory that exists already is left as the operator made it.
 */
public final class SpoolDirectory {
    private SpoolDirectory() {
    }

    /** Creates {@code dir} (and its parents, with the default mode) when it does not exist. */
    public static void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // made meanwhile by another: fine
        }
    }
}
