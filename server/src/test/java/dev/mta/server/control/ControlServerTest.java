package dev.mta.server.control;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.DurableQueue;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.QueueConfig;
import dev.mta.queue.model.Envelope;
import dev.mta.server.support.ProcessRunner;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control channel over its real Unix domain socket, on a real queue: the socket file (0600, a stale one replaced,
 * removed at close), requests and replies, a bad request, and a peer of another user refused by its credentials.
 */
class ControlServerTest {
    @TempDir
    Path dir;
    private Path spool;
    private DurableQueue queue;
    private ControlServer control;

    @BeforeEach
    void start() throws Exception {
        spool = dir.resolve("spool");
        queue = DurableQueue.open(QueueConfig.defaults(spool));
        Files.writeString(spool.resolve(ControlServer.FILE), "left by a server that died");
        control = ControlServer.start(spool, queue.admin());
    }

    @AfterEach
    void stop() {
        control.close();
        queue.close();
    }

    private String enqueue(String rcpt) throws Exception {
        IncomingMessage m = queue.receive(new Envelope(new MailPath("s", "example.com", false),
                MailParameters.DEFAULT, List.of(new MailPath(rcpt, "example.org", false)), "192.0.2.1", "client.test",
                "ESMTP"));
        m.write(Unpooled.wrappedBuffer("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)));
        return m.commit().get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code line} as it is and returns the whole reply. */
    private String raw(String line) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(control.socket()));
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSocketOfMode0600ReplacesAStaleOneAndGoesAtClose() throws Exception {
        Path socket = spool.resolve("control.sock");
        assertEquals(socket, control.socket());
        assertTrue(Files.getAttribute(socket, "unix:mode") instanceof Integer);
        int mode = (Integer) Files.getAttribute(socket, "unix:mode");
        assertEquals(0140000, mode & 0170000, "a socket, where the stale file was");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        control.close();
        assertFalse(Files.exists(socket), "removed at close");
        assertThrows(ControlClient.NotRunning.class, () -> new ControlClient(spool).list());
    }

    @Test
    void aSpoolPathTooLongForASocketIsRefusedWithoutLeavingAFile() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("d".repeat(120)));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> ControlServer.start(deep, queue.admin()));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        assertFalse(Files.exists(deep.resolve(ControlServer.FILE)));
    }

    @Test
    void requestsActOnTheQueue() throws Exception {
        String a = enqueue("a");
        String b = enqueue("b");
        ControlClient client = new ControlClient(spool);
        assertEquals(List.of(a, b), client.list().stream().map(MessageView::id).toList());
        MessageView shown = client.show(b).orElseThrow();
        assertEquals(List.of("b@example.org"), shown.details().recipients());
        assertEquals("client.test", shown.details().helo());
        assertTrue(client.show("00000000000000FF").isEmpty());

        assertEquals(List.of(a), client.hold(List.of(a)).done());
        assertTrue(queue.find(a).orElseThrow().held());
        ControlClient.Changed released = client.release(List.of(a, "00000000000000FF"));
        assertEquals(List.of(a), released.done());
        assertEquals(List.of("00000000000000FF"), released.missing());
        assertFalse(queue.find(a).orElseThrow().held());

        assertEquals(List.of(b), client.delete(List.of(b)).done());
        assertTrue(queue.find(b).isEmpty(), "deleted before the reply");
        assertEquals(List.of(a), client.deleteAll().done());
        assertEquals(0, queue.size());
    }

    @Test
    void aBadRequestIsAnsweredWithAnError() throws Exception {
        assertEquals("{\"ok\":false,\"error\":\"unknown op: reboot\"}\n", raw("{\"op\":\"reboot\"}\n"));
        assertEquals("{\"ok\":false,\"error\":\"empty request\"}\n", raw(""));
        assertTrue(raw("{\"op\":\"list\"}").startsWith("{\"ok\":true,\"messages\":[]}"), "the end of input ends a line");
    }

    @Test
    void aPeerOfAnotherUserIsRefusedByItsCredentials() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root, to run a peer as nobody (CI runs as root)");
        String python = "/usr/bin/python3"; // not a shim under root's home, which nobody cannot read
        String setpriv = "/usr/bin/setpriv";
        if (!Files.isExecutable(Path.of(python)) || !Files.isExecutable(Path.of(setpriv))) {
            String msg = "needs " + python + " and " + setpriv + " (apt-get install python3 util-linux)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        String id = enqueue("keep");
        // nobody may reach the socket's folder; the socket itself stays 0600 for now.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx--x--x"));
        String script = "import socket, sys\n"
                + "s = socket.socket(socket.AF_UNIX)\n"
                + "try:\n"
                + "    s.connect(sys.argv[1])\n"
                + "except PermissionError as e:\n"
                + "    print('connect:', e.strerror); sys.exit(3)\n"
                + "s.sendall(b'{\"op\":\"delete\",\"all\":true}\\n')\n"
                + "print(s.makefile().read(), end='')\n";
        List<String> asNobody = List.of(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c",
                script, control.socket().toString());

        ProcessRunner.Result blocked = ProcessRunner.run(asNobody, 30);
        assertEquals(3, blocked.exitCode(), blocked.output());
        assertTrue(blocked.output().contains("Permission denied"), "mode 0600 keeps others out: " + blocked.output());

        // Even when the file's mode lets it connect, its credentials are refused: nothing is deleted.
        Files.setPosixFilePermissions(control.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        ProcessRunner.Result refused = ProcessRunner.run(asNobody, 30);
        assertEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().startsWith("{\"ok\":false,\"error\":\"permission denied: the control channel serves root, not nobody\"}"),
                refused.output());
        assertTrue(queue.find(id).isPresent(), "the message is still queued");
    }
}
