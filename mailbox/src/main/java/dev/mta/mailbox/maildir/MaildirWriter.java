package dev.mta.mailbox.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers a message into a user's Maildir the way the format asks, so that a crash delivers at least once and
 * never loses: the file is written in {@code tmp/} under a unique name, forced to the disk, renamed into
 * {@code new/}, and {@code new/} itself forced, all before the caller reports the recipient delivered. Content comes
 * as the queue stores it (CRLF lines) and is written with LF line ends, as Maildir readers (Dovecot, mutt) expect;
 * the name carries both sizes ({@link MaildirName}). Blocks on the disk: call from a worker thread.
 */
public final class MaildirWriter {
    private static final int BUFFER = 64 * 1024;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    /** A file left in {@code tmp/} longer than this is debris of a crash (the Maildir convention: 36 hours). */
    static final java.time.Duration STALE_TMP = java.time.Duration.ofHours(36);

    private final MailRoot root;
    private final String host;
    /** The users whose {@code tmp/} this process has swept: once each, at its first delivery to them. */
    private final java.util.Set<String> swept = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param hostname this machine's name, part of each unique file name */
    public MaildirWriter(MailRoot root, String hostname) {
        this.root = root;
        // The Maildir convention: '/' and ':' cannot appear in a name part, written as octal escapes.
        this.host = hostname.replace("/", "\\057").replace(":", "\\072");
    }

    /**
     * Writes {@code prefix} (header lines, CRLF) and then {@code content} (the message, CRLF) as one new message of
     * {@code user}; {@code quota} bytes at most in the mailbox afterwards, 0 for no limit.
     *
     * @return the name of the delivered file in {@code new/}
     */
    public MaildirName deliver(String user, byte[] prefix, InputStream content, long quota)
            throws IOException, OverQuotaException {
        Path maildir = root.maildirOf(user);
        ensureMaildir(maildir);
        if (swept.add(user)) {
            sweepTmp(maildir.resolve("tmp"), java.time.Instant.now().minus(STALE_TMP));
        }
        String base = uniqueBase();
        Path tmp = maildir.resolve("tmp").resolve(base);
        long[] sizes;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            LineEnds lf = new LineEnds(out);
            lf.write(prefix, 0, prefix.length);
            byte[] buf = new byte[BUFFER];
            for (int n; (n = content.read(buf)) > 0; ) {
                lf.write(buf, 0, n);
            }
            lf.finish();
            sizes = new long[]{lf.written(), lf.written() + lf.lineEnds()};
            if (quota > 0) {
                long used = MaildirUsage.of(maildir);
                if (used + sizes[0] > quota) {
                    throw new OverQuotaException(user, used, sizes[0], quota);
                }
            }
            ch.force(true);
        } catch (IOException | OverQuotaException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        MaildirName name = new MaildirName(base, sizes[0], sizes[1], "");
        Path target = maildir.resolve("new").resolve(name.newName());
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        forceDirectory(maildir.resolve("new"));
        return name;
    }

    private String uniqueBase() {
        long micros = java.time.Instant.now().getNano() / 1000;
        long seconds = System.currentTimeMillis() / 1000;
        return seconds + ".M" + micros + "P" + PID + "Q" + SEQUENCE.incrementAndGet() + "." + host;
    }

    /** Makes {@code <user>/Maildir/{tmp,new,cur}} (owner only), each new folder's parent forced so the folder stays. */
    private static void ensureMaildir(Path maildir) throws IOException {
        if (Files.isDirectory(maildir.resolve("new")) && Files.isDirectory(maildir.resolve("tmp"))
                && Files.isDirectory(maildir.resolve("cur"))) {
            return;
        }
        Path mailRoot = maildir.getParent().getParent();
        if (!Files.isDirectory(mailRoot)) {
            Files.createDirectories(mailRoot, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        for (Path dir : new Path[]{maildir.getParent(), maildir,
                maildir.resolve("tmp"), maildir.resolve("new"), maildir.resolve("cur")}) {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException raced) {
                    if (!Files.isDirectory(dir)) {
                        throw raced;
                    }
                }
                if (dir.getParent() != null) {
                    forceDirectory(dir.getParent());
                }
            }
        }
    }

    /**
     * Removes what a crash left in {@code tmp/} (files older than {@code before}): never delivered, so nothing is lost,
     * and the queue delivers those messages again. A file that cannot be removed stays; delivery goes on.
     */
    static void sweepTmp(Path tmp, java.time.Instant before) {
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException gone) {
                    // taken meanwhile, or not ours to remove: leave it
                }
            }
        } catch (IOException e) {
            // no tmp/ to sweep: nothing left behind
        }
    }

    /** Forces a directory's entries to the disk (Linux: fsync on the directory opened for reading). */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** CRLF to LF on the way to the file, counting what is written and how many line ends (each CRLF on the wire). */
    private static final class LineEnds {
        private final OutputStream out;
        private final byte[] buf = new byte[BUFFER];
        private int len;
        private boolean pendingCr;
        private long written;
        private long lineEnds;

        LineEnds(OutputStream out) {
            this.out = out;
        }

        void write(byte[] b, int off, int n) throws IOException {
            for (int i = off; i < off + n; i++) {
                byte c = b[i];
                if (pendingCr) {
                    pendingCr = false;
                    if (c != '\n') {
                        put((byte) '\r'); // a CR alone is kept as it was
                    }
                }
                if (c == '\r') {
                    pendingCr = true;
                    continue;
                }
                if (c == '\n') {
                    lineEnds++;
                }
                put(c);
            }
        }

        void finish() throws IOException {
            if (pendingCr) {
                put((byte) '\r');
                pendingCr = false;
            }
            if (len > 0) {
                out.write(buf, 0, len);
                len = 0;
            }
        }

        private void put(byte c) throws IOException {
            if (len == buf.length) {
                out.write(buf, 0, len);
                len = 0;
            }
            buf[len++] = c;
            written++;
        }

        long written() {
            return written;
        }

        long lineEnds() {
            return lineEnds;
        }
    }
}
