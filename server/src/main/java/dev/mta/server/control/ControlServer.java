package dev.mta.server.control;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mta.queue.admin.QueueAdmin;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running MTA's control channel: a Unix domain socket, {@code <spool>/control.sock}, mode 0600, that the queue
 * tool sends its requests to. Admin actions never go over TCP, where any local user could reach them; here the
 * kernel says who the peer is (SO_PEERCRED), and only the server's own user and root are served
 * ({@link PeerCredentials}). One request a connection: a line of JSON ({@link ControlRequest}), then one JSON reply
 * ({@link AdminRequests}) and the close.
 *
 * <p>Plain blocking java.nio on threads of its own, never an event loop: {@code control-accept} accepts, two
 * {@code control-N} threads serve (show reads the disk; delete, hold and release wait for their fsync) with up to
 * 16 connections waiting (more are closed at once), and {@code control-deadline-1} closes a connection that has
 * taken longer than {@link #EXCHANGE_LIMIT}.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    /** The socket's file name in the spool: the tool finds the server through the spool. */
    public static final String FILE = "control.sock";
    /** A whole exchange, request to the end of the reply. */
    static final Duration EXCHANGE_LIMIT = Duration.ofSeconds(60);
    /** How long delete, hold and release wait for their records to be durable before answering with an error. */
    static final Duration DURABLE_WAIT = Duration.ofSeconds(30);
    /** The longest request line: about 50,000 queue ids to delete. */
    static final int MAX_REQUEST = 1 << 20;
    private static final int HANDLERS = 2;
    private static final int WAITING = 16;
    private static final JsonFactory JSON = new JsonFactory();

    private final Path socket;
    private final ServerSocketChannel server;
    private final PeerCredentials peers;
    private final AdminRequests requests;
    private final ThreadPoolExecutor handlers;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, PeerCredentials peers, QueueAdmin admin) {
        this.socket = socket;
        this.server = server;
        this.peers = peers;
        this.requests = new AdminRequests(admin, DURABLE_WAIT);
        this.handlers = new ThreadPoolExecutor(HANDLERS, HANDLERS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WAITING), named("control-"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named("control-deadline-"));
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
        this.acceptor = new Thread(this::acceptLoop, "control-accept");
        acceptor.setDaemon(true);
    }

    /** Daemon threads named {@code prefix1}, {@code prefix2} ...: none of them keeps the process alive. */
    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The socket of the server whose spool is {@code spool}. */
    public static Path socketOf(Path spool) {
        return spool.resolve(FILE);
    }

    /**
     * Listens on {@code <spool>/control.sock} for requests on {@code admin}. A socket file left by a server that
     * died is removed first: the caller holds the spool's lock, so no other server uses it.
     */
    public static ControlServer start(Path spool, QueueAdmin admin) throws IOException {
        Path socket = socketOf(spool);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ControlServer control;
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            // Before the first accept: a peer that connected in between is still checked by its credentials.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            control = new ControlServer(socket, server, PeerCredentials.serverOrRoot(Files.getOwner(socket)), admin);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        control.acceptor.start();
        log.info("queue control channel on {} (mode 0600, for {})", socket, control.peers.served());
        return control;
    }

    /** Where it listens. */
    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return; // closed: shutting down
            } catch (IOException e) {
                log.warn("control channel: accept failed: {}", e.toString());
                pause(); // out of file descriptors, say: not a hot loop of warnings
                continue;
            }
            try {
                handlers.execute(() -> serve(ch));
            } catch (RejectedExecutionException e) {
                log.warn("control channel busy: a request refused");
                closeQuietly(ch);
            }
        }
    }

    private void serve(SocketChannel ch) {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch), EXCHANGE_LIMIT.toMillis(),
                TimeUnit.MILLISECONDS);
        try (ch; OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 << 10);
             JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT); // a reply cut short must not look whole
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            // Read even a refused peer's request: closing on unread input would reset the connection, and the
            // refusal with it.
            String line = null;
            String unreadable = null;
            try {
                line = RequestLine.read(ch, MAX_REQUEST);
            } catch (IllegalArgumentException e) {
                unreadable = e.getMessage();
            }
            if (!peers.allows(peer.user())) {
                log.warn("control channel: refused a peer running as {} (only {} may use it)", peer.user().getName(),
                        peers.served());
                AdminRequests.error(g, "permission denied: the control channel serves " + peers.served() + ", not "
                        + peer.user().getName());
            } else if (unreadable != null) {
                AdminRequests.error(g, unreadable);
            } else {
                answer(line, g);
            }
            g.flush();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            if (!closed) {
                log.debug("control channel: exchange ended: {}", e.toString());
            }
        } finally {
            deadline.cancel(false);
        }
    }

    /** Answers a request line of a peer that may use the channel. */
    private void answer(String line, JsonGenerator g) throws IOException {
        ControlRequest request;
        try {
            request = ControlRequest.parse(line);
        } catch (IllegalArgumentException e) {
            AdminRequests.error(g, e.getMessage());
            return;
        }
        try {
            requests.answer(request, g);
        } catch (IOException | RuntimeException e) {
            if (g.getOutputContext().getEntryCount() > 0) {
                throw e; // the reply is under way: the client sees it cut short
            }
            log.warn("control channel: {} failed: {}", request.op(), e.toString());
            AdminRequests.error(g, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing: nothing more to say to it
        }
    }

    /** Stops accepting, lets requests under way finish (a few seconds at most), and removes the socket file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.warn("closing the control channel: {}", e.toString());
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handlers.shutdownNow();
        }
        deadlines.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.warn("removing {}: {}", socket, e.toString());
        }
    }
}
