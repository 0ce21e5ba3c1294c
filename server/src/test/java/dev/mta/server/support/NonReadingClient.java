package dev.mta.server.support;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A client that sends and never reads, as an attacker would: a socket with a small receive buffer, written without
 * blocking, so a test can see when the server stops taking its bytes instead of hanging on a full socket.
 */
public final class NonReadingClient implements Closeable {
    private final SocketChannel channel;
    private final ByteBuffer unit;
    private final long cap;
    private ByteBuffer current;
    private long written;
    private boolean writeFailed;

    private NonReadingClient(SocketChannel channel, ByteBuffer first, ByteBuffer unit, long cap) {
        this.channel = channel;
        this.current = first;
        this.unit = unit;
        this.cap = cap;
    }

    /**
     * Connects with a receive buffer of {@code receiveBuffer} bytes. It will send {@code first} once, then
     * {@code repeated} {@code times} over per write, again and again, up to about {@code cap} bytes.
     */
    public static NonReadingClient connect(InetSocketAddress server, int receiveBuffer, String first, String repeated,
                                           int times, long cap) throws IOException {
        return connect(server, receiveBuffer, 0, first, repeated, times, cap);
    }

    /**
     * As {@link #connect(InetSocketAddress, int, String, String, int, long)}, with a send buffer of
     * {@code sendBuffer} bytes (0: the system's, which grows to megabytes): many clients with small send buffers
     * stall the server just the same without tying up gigabytes of the kernel's memory on this side.
     */
    public static NonReadingClient connect(InetSocketAddress server, int receiveBuffer, int sendBuffer, String first,
                                           String repeated, int times, long cap) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            // Before connecting, so the window the server sees is small from the start.
            ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            if (sendBuffer > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
            }
            ch.connect(server);
            ch.configureBlocking(false);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new NonReadingClient(ch, ascii(first), ascii(repeated.repeat(times)), cap);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes what the socket takes now, without blocking; returns how many bytes that was. */
    public long pump() {
        long n = 0;
        try {
            while (!done()) {
                if (!current.hasRemaining()) {
                    current = unit.duplicate();
                }
                int w = channel.write(current);
                if (w == 0) {
                    break;
                }
                n += w;
                written += w;
            }
        } catch (IOException e) {
            writeFailed = true; // reset or closed by the server
        }
        return n;
    }

    public boolean done() {
        return writeFailed || written >= cap;
    }

    /** Bytes the socket has taken so far. */
    public long written() {
        return written;
    }

    /** True once a write failed: the server closed or reset the connection. */
    public boolean writeFailed() {
        return writeFailed;
    }

    /**
     * Pumps every client until each is done or none has taken a byte for {@code stall}, and at most for
     * {@code limit}; returns whether the writes stalled (rather than reaching their caps or failing).
     */
    public static boolean floodUntilStalled(List<NonReadingClient> clients, Duration stall, Duration limit)
            throws InterruptedException {
        long start = System.nanoTime();
        long lastProgress = start;
        while (true) {
            long progress = 0;
            for (NonReadingClient c : clients) {
                progress += c.pump();
            }
            long now = System.nanoTime();
            if (progress > 0) {
                lastProgress = now;
            }
            if (clients.stream().allMatch(NonReadingClient::done) || now - start > limit.toNanos()) {
                return false;
            }
            if (now - lastProgress > stall.toNanos()) {
                return true;
            }
            if (progress == 0) {
                Thread.sleep(10);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
