package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;

/**
 * The DKIM key directory: a folder per domain and a PKCS#8 PEM file per selector, {@code DIR/example.com/mail.pem}.
 * Folders it makes are 0700 and key files 0600 from their first byte; a key is written whole or not at all.
 */
final class KeyDirectory {
    private static final String SUFFIX = ".pem";

    private final Path root;

    KeyDirectory(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path folder(String domain) {
        return root.resolve(domain);
    }

    Path file(String domain, String selector) {
        return folder(domain).resolve(selector + SUFFIX);
    }

    /** The selectors that have a key file for {@code domain}, sorted; none when its folder does not exist. */
    List<String> selectors(String domain) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder(domain), "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String stem = name.substring(0, name.length() - SUFFIX.length());
                // Only names keygen could have written: a temporary file or a stray copy is no key.
                if (stem.equals(DkimNames.selector(stem)) && Files.isRegularFile(f)) {
                    out.add(stem);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    DkimSigningKey read(String domain, String selector) throws IOException, InvalidKeyException {
        // Latin-1 reads any octets: a file that is no PEM is then told as such by the parser, not as bad text.
        return DkimSigningKey.fromPem(Files.readString(file(domain, selector), StandardCharsets.ISO_8859_1));
    }

    /**
     * Writes a key: into a temporary file beside its place (0600 from its creation, fsynced), then put in place in
     * one step. Unless {@code replace}, a key already there stays and this throws {@link FileAlreadyExistsException}.
     */
    Path write(String domain, String selector, String pem, boolean replace) throws IOException {
        Path folder = Files.createDirectories(folder(domain),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path target = file(domain, selector);
        Path tmp = Files.createTempFile(folder, "." + selector + ".", ".tmp"); // 0600 on POSIX
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (replace) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces in one step
            } else {
                linkUnlessTaken(tmp, target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncFolder(folder);
        return target;
    }

    /**
     * Puts {@code tmp} at {@code target} only if nothing is there. A hard link does that atomically (link(2) fails
     * on an existing name, where rename(2) would replace it); on a file system without hard links, a check and a
     * rename, which a second keygen running at the same instant could race.
     */
    private static void linkUnlessTaken(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return;
        } catch (FileAlreadyExistsException | AccessDeniedException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            // below
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Why an operation failed, in a few words, naming the path it failed on. */
    static String why(IOException e) {
        String why = dev.mta.server.config.FileErrors.why(e);
        if (e instanceof FileSystemException f && f.getFile() != null && !why.contains(f.getFile())) {
            return f.getFile() + ": " + why;
        }
        return why;
    }

    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel d = FileChannel.open(folder, StandardOpenOption.READ)) {
            d.force(true); // the new name itself on disk
        } catch (AccessDeniedException | UnsupportedOperationException e) {
            // A folder that cannot be opened for reading: the file is in place, only its durability is the OS's.
        }
    }
}
