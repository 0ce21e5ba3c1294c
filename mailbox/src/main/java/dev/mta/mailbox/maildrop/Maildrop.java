package dev.mta.mailbox.maildrop;

import dev.mta.mailbox.maildir.MaildirName;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One POP3 session's view of a user's Maildir, taken once at login ({@code new/} and {@code cur/}): mail that arrives
 * later is not in it. Messages are numbered from 1 in order of arrival (the seconds that lead the unique base, then the
 * name). Listing reads names only; a file is read at snapshot time only when its name does not give its CRLF size
 * ({@code W=}), and bodies are read only as streams. Blocking calls: run them on a worker thread, never an event
 * loop. Not thread-safe; a session uses it from one task at a time.
 */
public final class Maildrop {
    private static final List<String> FOLDERS = List.of("new", "cur");
    private static final int READ_BUFFER = 64 * 1024;

    private final Path maildir;
    private final List<MaildropMessage> messages;
    /** Where each message's file was last seen, by number - 1; updated when it is found moved. */
    private final Path[] files;
    private final long totalSize;

    private Maildrop(Path maildir, List<MaildropMessage> messages, Path[] files) {
        this.maildir = maildir;
        this.messages = List.copyOf(messages);
        this.files = files;
        this.totalSize = messages.stream().mapToLong(MaildropMessage::size).sum();
    }

    /** A maildrop with no messages (a Maildir that does not exist yet). */
    public static Maildrop empty(Path maildir) {
        return new Maildrop(maildir, List.of(), new Path[0]);
    }

    /** The snapshot of {@code maildir} now; a Maildir (or a folder of it) that does not exist holds no messages. */
    public static Maildrop open(Path maildir) throws IOException {
        Map<String, Found> byBase = new LinkedHashMap<>();
        // new/ before cur/: a file moved between the two listings is seen twice (once kept), never missed.
        for (String folder : FOLDERS) {
            for (Path p : list(maildir.resolve(folder))) {
                MaildirName name = MaildirName.parse(p.getFileName().toString());
                byBase.putIfAbsent(name.base(), new Found(name, p));
            }
        }
        List<Found> found = new ArrayList<>(byBase.values());
        found.sort(Comparator.comparingLong((Found f) -> leadingSeconds(f.name.base())).thenComparing(f -> f.name.base()));
        List<MaildropMessage> messages = new ArrayList<>(found.size());
        List<Path> files = new ArrayList<>(found.size());
        for (Found f : found) {
            long size = f.name.virtualSize();
            Path file = f.file;
            if (size < 0) {
                try {
                    size = crlfSize(file);
                } catch (NoSuchFileException moved) {
                    file = relocate(maildir, f.name.base());
                    if (file == null) {
                        continue; // deleted since the listing: not in this snapshot
                    }
                    size = crlfSize(file);
                }
            }
            messages.add(new MaildropMessage(messages.size() + 1, f.name.base(), f.name.uid(), size));
            files.add(file);
        }
        return new Maildrop(maildir, messages, files.toArray(new Path[0]));
    }

    private record Found(MaildirName name, Path file) {
    }

    /** The message files of one folder (dot files skipped), or none when it does not exist. */
    private static List<Path> list(Path folder) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".")) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException missing) {
            return List.of();
        }
        return out;
    }

    /** The seconds that start a Maildir base ({@code 1700000000.M...}), or {@code Long.MAX_VALUE} for another name. */
    static long leadingSeconds(String base) {
        int i = 0;
        long v = 0;
        while (i < base.length() && i < 18 && Character.isDigit(base.charAt(i))) {
            v = v * 10 + (base.charAt(i) - '0');
            i++;
        }
        return i == 0 ? Long.MAX_VALUE : v;
    }

    private static long crlfSize(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CrlfInputStream.crlfSize(in);
        }
    }

    /** The file of {@code base} in {@code new/} or {@code cur/}, whatever its flags, or null when there is none. */
    private static Path relocate(Path maildir, String base) throws IOException {
        for (String folder : FOLDERS) {
            for (Path p : list(maildir.resolve(folder))) {
                if (MaildirName.parse(p.getFileName().toString()).base().equals(base)) {
                    return p;
                }
            }
        }
        return null;
    }

    public Path maildir() {
        return maildir;
    }

    /** Messages in the snapshot. */
    public int count() {
        return messages.size();
    }

    /** Their sizes together, with CRLF line ends. */
    public long totalSize() {
        return totalSize;
    }

    /** Every message, in number order. */
    public List<MaildropMessage> messages() {
        return messages;
    }

    /** Message {@code number} (from 1); IndexOutOfBoundsException for one not in the snapshot. */
    public MaildropMessage message(int number) {
        return messages.get(number - 1);
    }

    /**
     * The content of message {@code number} with CRLF line ends, read from the disk as it is consumed; found again
     * when another reader moved it to {@code cur/} or changed its flags. NoSuchFileException when it is gone.
     */
    public InputStream open(int number) throws IOException {
        MaildropMessage m = message(number);
        InputStream in;
        try {
            in = Files.newInputStream(files[number - 1]);
        } catch (NoSuchFileException moved) {
            Path now = relocate(maildir, m.base());
            if (now == null) {
                throw moved;
            }
            files[number - 1] = now;
            in = Files.newInputStream(now);
        }
        return new CrlfInputStream(new BufferedInputStream(in, READ_BUFFER));
    }

    /**
     * Removes the files of {@code numbers} (RFC 1939 UPDATE), each found again by its base if it moved; one that is
     * gone already counts as removed. Returns the messages that could not be removed (empty when all were).
     */
    public List<MaildropMessage> delete(Collection<Integer> numbers) {
        List<MaildropMessage> failed = new ArrayList<>();
        Map<String, Path> now = null;
        for (int number : numbers) {
            MaildropMessage m = message(number);
            try {
                if (Files.deleteIfExists(files[number - 1])) {
                    continue;
                }
                if (now == null) {
                    now = currentFiles();
                }
                Path moved = now.get(m.base());
                if (moved != null) {
                    Files.deleteIfExists(moved);
                }
            } catch (IOException e) {
                failed.add(m);
            }
        }
        return failed;
    }

    /** Every message file there is now, by base (one listing of each folder for all the moved files together). */
    private Map<String, Path> currentFiles() throws IOException {
        Map<String, Path> out = new HashMap<>();
        for (String folder : FOLDERS) {
            for (Path p : list(maildir.resolve(folder))) {
                out.put(MaildirName.parse(p.getFileName().toString()).base(), p);
            }
        }
        return out;
    }
}
