package dev.mta.queue.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One segment file: a 16-byte header (magic and number) followed by records. */
final class Segment implements AutoCloseable {
    static final long MAGIC = 0x4D5441512D534731L; // "MTAQ-SG1"
    static final int HEADER = 16;

    final long number;
    final Path path;
    final FileChannel channel;
    long size;

    private Segment(long number, Path path, FileChannel channel, long size) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    static String fileName(long number) {
        return String.format("%016d.seg", number);
    }

    static Segment create(Path dir, long number) throws IOException {
        Path p = dir.resolve(fileName(number));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer h = ByteBuffer.allocate(HEADER).putLong(MAGIC).putLong(number).flip();
            while (h.hasRemaining()) {
                ch.write(h, HEADER - h.remaining());
            }
            return new Segment(number, p, ch, HEADER);
        } catch (IOException e) {
            // Disk full while starting a segment: leave nothing behind, so the next roll can try again.
            ch.close();
            java.nio.file.Files.deleteIfExists(p);
            throw e;
        }
    }

    static Segment open(Path p, long number) throws IOException {
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
            // read the whole header
        }
        h.flip();
        if (h.remaining() < HEADER || h.getLong() != MAGIC || h.getLong() != number) {
            ch.close();
            throw new IOException("not segment " + number + ": " + p);
        }
        return new Segment(number, p, ch, ch.size());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
