package dev.mta.queue.spool;

import dev.mta.queue.IncomingMessage;
import dev.mta.queue.SerialExecutor;
import dev.mta.queue.StorageFullException;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Writes one message into the spool on the storage threads, in the order its pieces arrive. */
final class SpoolFileWriter implements IncomingMessage {
    /** Past this many bytes waiting for the disk the session stops reading its socket. */
    private static final long HIGH_WATER = 1 << 20;

    private final FileSpool spool;
    private final String id;
    private final byte[] envelope;
    private final SerialExecutor serial;
    private final AtomicLong pending = new AtomicLong();
    private volatile Runnable drainAction;
    // Touched only by tasks on the serial executor.
    private FileChannel channel;
    private IOException failure;
    private boolean finished;

    SpoolFileWriter(FileSpool spool, String id, byte[] envelope) {
        this.spool = spool;
        this.id = id;
        this.envelope = envelope;
        this.serial = new SerialExecutor(spool.io());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean write(ByteBuf data) {
        int n = data.readableBytes();
        long waiting = pending.addAndGet(n);
        serial.execute(() -> {
            try {
                if (!finished && failure == null) {
                    ensureOpen();
                    int index = data.readerIndex();
                    int end = data.writerIndex();
                    while (index < end) {
                        index += data.getBytes(index, channel, end - index);
                    }
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                data.release();
                if (pending.addAndGet(-n) == 0) {
                    runDrainAction();
                }
            }
        });
        return waiting < HIGH_WATER;
    }

    @Override
    public void whenDrained(Runnable action) {
        drainAction = action;
        if (pending.get() == 0) {
            runDrainAction();
        }
    }

    private void runDrainAction() {
        Runnable a = drainAction;
        if (a != null) {
            drainAction = null;
            a.run();
        }
    }

    @Override
    public CompletableFuture<String> commit() {
        CompletableFuture<String> done = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                if (finished) {
                    throw new IOException("message " + id + " was already finished");
                }
                if (failure != null) {
                    throw failure;
                }
                ensureOpen();
                channel.force(true);
                channel.close();
                Files.move(spool.incomingFile(id), spool.queueFile(id), StandardCopyOption.ATOMIC_MOVE);
                spool.syncQueueDirectory();
                finished = true;
                done.complete(id);
            } catch (IOException e) {
                discard();
                done.completeExceptionally(StorageFullException.isNoSpace(e) ? new StorageFullException(e.getMessage(), e) : e);
            } catch (RuntimeException e) {
                discard();
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Override
    public void abort() {
        serial.execute(() -> {
            if (!finished) {
                discard();
            }
        });
    }

    private void ensureOpen() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(spool.incomingFile(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteBuffer b = ByteBuffer.wrap(envelope);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    private void discard() {
        finished = true;
        try {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(spool.incomingFile(id));
        } catch (IOException ignored) {
            // Best effort: whatever stays in incoming/ is swept away at the next start.
        }
    }
}
