package dev.mta.server.pop3;

import dev.mta.protocol.pop3.MultiLineBody;
import dev.mta.protocol.pop3.Pop3Reply;
import dev.mta.protocol.pop3.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/**
 * RETR and TOP for one session (RFC 1939 7): the message read from the disk threads in chunks of {@link #CHUNK}
 * octets, each stuffed and written on the event loop; the next chunk is read only while the channel is writable, so
 * a client that reads slowly holds at most a chunk or two of its message in our memory, never the whole of it.
 * Reading commands is paused until the message is out. Event loop only; the disk through {@link SessionDisk}.
 */
final class MessageStream {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);
    static final int CHUNK = 64 * 1024;
    static final Pop3Reply GONE = Pop3Reply.err("Message was removed by another client");
    static final Pop3Reply CANNOT_READ = Pop3Reply.err(ResponseCode.SYS_TEMP, "Cannot read the message, try later");

    private final SessionDisk disk;
    private final Pop3Out out;
    private final Pop3Input input;
    private final Pop3Transaction transaction;
    /** The message being sent, or null. */
    private InputStream in;
    private MultiLineBody body;
    private boolean whole;
    private long octets;
    private boolean waitingForWritable;

    MessageStream(SessionDisk disk, Pop3Out out, Pop3Input input, Pop3Transaction transaction) {
        this.disk = disk;
        this.out = out;
        this.input = input;
        this.transaction = transaction;
    }

    /** Sends message {@code n} (already checked to exist and not be deleted): whole, or its top {@code lines}. */
    void send(int n, int lines, boolean retr) {
        whole = retr;
        body = retr ? MultiLineBody.whole() : MultiLineBody.top(lines);
        octets = 0;
        long size = transaction.maildrop().message(n).size();
        input.pause(Pop3Input.Reason.WORK);
        disk.submit(() -> transaction.maildrop().open(n), (stream, e) -> {
            if (!out.open()) {
                closeLater(stream);
                return;
            }
            if (e != null) {
                if (!(e instanceof NoSuchFileException)) {
                    log.warn("pop3 cannot read message {} of {}: {}", n, transaction.maildrop().maildir(), e.toString());
                }
                out.reply(e instanceof NoSuchFileException ? GONE : CANNOT_READ);
                done();
                return;
            }
            in = stream;
            out.reply(Pop3Reply.ok(retr ? size + " octets" : "Top of message follows"));
            readNext();
        });
    }

    private void readNext() {
        InputStream stream = in;
        ByteBufAllocator alloc = out.ctx().alloc();
        disk.submit(() -> read(stream, alloc), (chunk, e) -> {
            if (!out.open()) {
                if (chunk != null) {
                    chunk.release();
                }
                abandon();
                return;
            }
            if (e != null) {
                // Part of the message is out: no -ERR can follow a +OK, so the connection ends here.
                log.warn("pop3 read of a message in {} failed midway: {}", transaction.maildrop().maildir(), e.toString());
                abandon();
                out.closeSilently();
                return;
            }
            boolean end = chunk.readableBytes() < CHUNK;
            octets += chunk.readableBytes();
            try {
                out.write(body.next(chunk, alloc));
            } finally {
                chunk.release();
            }
            if (end || body.complete()) {
                out.write(body.end(alloc));
                if (whole) {
                    transaction.retrieved(octets);
                }
                closeLater(in);
                in = null;
                done();
            } else {
                out.flush();
                if (out.ctx().channel().isWritable()) {
                    readNext();
                } else {
                    waitingForWritable = true; // writabilityChanged goes on
                }
            }
        });
    }

    /** Up to {@link #CHUNK} octets; fewer only at the end of the message. On the disk threads. */
    private static ByteBuf read(InputStream stream, ByteBufAllocator alloc) throws IOException {
        ByteBuf buf = alloc.heapBuffer(CHUNK, CHUNK);
        try {
            while (buf.isWritable()) {
                if (buf.writeBytes(stream, buf.writableBytes()) < 0) {
                    break;
                }
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** The channel can take more: the next chunk, if one waits for that. */
    void writable() {
        if (waitingForWritable && in != null) {
            waitingForWritable = false;
            readNext();
        }
    }

    private void done() {
        input.resume(Pop3Input.Reason.WORK);
        out.flush();
    }

    /** The session ended while a message was being sent: the file is closed after the read under way. */
    void abandon() {
        waitingForWritable = false;
        closeLater(in);
        in = null;
    }

    private void closeLater(InputStream stream) {
        if (stream != null) {
            disk.quietly(() -> {
                stream.close();
                return null;
            });
        }
    }
}
