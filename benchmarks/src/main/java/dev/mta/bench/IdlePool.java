package dev.mta.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Many SMTP connections from one thread: non-blocking sockets on one selector, each connected, its greeting read,
 * then left idle (no interest, nothing sent) until {@link #close()}. A few hundred connect at a time, so the
 * server's accept backlog never overflows.
 */
final class IdlePool implements Closeable {
    private static final int IN_FLIGHT = 256;
    private static final int MAX_GREETING = 4096;

    private final Selector selector;
    private final List<SocketChannel> idle = new ArrayList<>();
    private int refused;
    private int failed;

    private IdlePool(Selector selector) {
        this.selector = selector;
    }

    /**
     * Opens {@code count} connections to {@code server} and reads each one's greeting, for at most {@code limit};
     * the connections greeted with 220 stay open.
     */
    static IdlePool open(InetSocketAddress server, int count, Duration limit) throws IOException {
        IdlePool pool = new IdlePool(Selector.open());
        try {
            pool.fill(server, count, System.nanoTime() + limit.toNanos());
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    private void fill(InetSocketAddress server, int count, long deadline) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_GREETING);
        int started = 0;
        while (idle.size() + refused + failed < count && System.nanoTime() < deadline) {
            int pending = started - idle.size() - refused - failed;
            for (; started < count && pending < IN_FLIGHT; started++, pending++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                boolean connected = ch.connect(server);
                ch.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
                        new StringBuilder());
            }
            selector.select(100);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                step(key, buf);
            }
        }
    }

    /** Moves one connection on: connected, then its greeting read a piece at a time. */
    private void step(SelectionKey key, ByteBuffer buf) {
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            if (key.isConnectable()) {
                ch.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            buf.clear();
            if (ch.read(buf) < 0) {
                drop(key, true);
                return;
            }
            StringBuilder greeting = (StringBuilder) key.attachment();
            greeting.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
            String last = lastLine(greeting);
            if (last == null && greeting.length() < MAX_GREETING) {
                return; // the rest of the greeting is still to come
            }
            if (last != null && last.startsWith("220 ")) {
                key.interestOps(0);
                key.attach(null);
                idle.add(ch);
            } else {
                drop(key, true); // 421 (too many connections) or anything else
            }
        } catch (IOException e) {
            drop(key, false);
        }
    }

    /** The last line of a complete reply (one not followed by "ddd-"), or null while it is incomplete. */
    private static String lastLine(StringBuilder text) {
        if (text.length() < 2 || text.charAt(text.length() - 2) != '\r' || text.charAt(text.length() - 1) != '\n') {
            return null;
        }
        int before = text.lastIndexOf("\r\n", text.length() - 3);
        String line = text.substring(before < 0 ? 0 : before + 2, text.length() - 2);
        return line.length() > 3 && line.charAt(3) == '-' ? null : line;
    }

    private void drop(SelectionKey key, boolean byServer) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (byServer) {
            refused++;
        } else {
            failed++;
        }
    }

    /** Connections greeted with 220 and held. */
    int greeted() {
        return idle.size();
    }

    /** Connections the server closed or greeted with something other than 220. */
    int refused() {
        return refused;
    }

    /** Connections that could not be made, or not within the time given. */
    int failed(int asked) {
        return asked - idle.size() - refused;
    }

    /** Held connections on which nothing has arrived since the greeting: no bytes, no close, no reset. */
    int stillIdle() throws IOException {
        for (SocketChannel ch : idle) {
            ch.keyFor(selector).interestOps(SelectionKey.OP_READ);
        }
        selector.selectedKeys().clear();
        int stirred = selector.select(200);
        for (SocketChannel ch : idle) {
            ch.keyFor(selector).interestOps(0);
        }
        selector.selectedKeys().clear();
        return idle.size() - stirred;
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
