package dev.mta.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queue tool's side of the control channel: one connection per request to {@code <spool>/control.sock}.
 * {@link NotRunning} when no server listens there; {@link ControlException} when the server refuses or fails.
 */
public final class ControlClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;

    public ControlClient(Path spool) {
        this.socket = ControlServer.socketOf(spool);
    }

    public Path socket() {
        return socket;
    }

    /** No server answers on the socket: it is not running (or runs on another spool). */
    public static final class NotRunning extends IOException {
        private static final long serialVersionUID = 1L;

        NotRunning(String message) {
            super(message);
        }
    }

    /** The server answered with an error. */
    public static final class ControlException extends IOException {
        private static final long serialVersionUID = 1L;

        ControlException(String message) {
            super(message);
        }
    }

    /** What flush, delete, hold or release did: ids acted on, ids not queued, and units of work made due (flush). */
    public record Changed(List<String> done, List<String> missing, int moved) {
    }

    public List<MessageView> list() throws IOException {
        JsonNode reply = call(ControlRequest.of(ControlRequest.Op.LIST, List.of()));
        try {
            List<MessageView> out = new ArrayList<>();
            for (JsonNode m : ViewJson.field(reply, "messages")) {
                out.add(ViewJson.read(m));
            }
            return out;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ControlException("an unreadable reply from the MTA: " + e.getMessage());
        }
    }

    public Optional<MessageView> show(String id) throws IOException {
        JsonNode m = call(ControlRequest.of(ControlRequest.Op.SHOW, List.of(id))).get("message");
        try {
            return m == null || m.isNull() ? Optional.empty() : Optional.of(ViewJson.read(m));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ControlException("an unreadable reply from the MTA: " + e.getMessage());
        }
    }

    /** Flushes the messages {@code ids}, or every deferred one when empty. */
    public Changed flush(List<String> ids) throws IOException {
        return changed(call(ControlRequest.of(ControlRequest.Op.FLUSH, ids)));
    }

    public Changed delete(List<String> ids) throws IOException {
        return changed(call(ControlRequest.of(ControlRequest.Op.DELETE, ids)));
    }

    public Changed deleteAll() throws IOException {
        return changed(call(new ControlRequest(ControlRequest.Op.DELETE, List.of(), true)));
    }

    public Changed hold(List<String> ids) throws IOException {
        return changed(call(ControlRequest.of(ControlRequest.Op.HOLD, ids)));
    }

    public Changed release(List<String> ids) throws IOException {
        return changed(call(ControlRequest.of(ControlRequest.Op.RELEASE, ids)));
    }

    private static Changed changed(JsonNode reply) {
        return new Changed(strings(reply.get("done")), strings(reply.get("missing")), reply.path("moved").asInt(0));
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            a.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** Sends one request and reads its reply, which must say {@code "ok": true}. */
    JsonNode call(ControlRequest request) throws IOException {
        if (!Files.exists(socket)) {
            throw new NotRunning("nothing at " + socket);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (ConnectException e) {
                throw new NotRunning("nothing answers on " + socket + ": " + e.getMessage());
            } catch (SocketException e) { // permission denied, say: someone runs there, not for us
                throw new ControlException("cannot connect to " + socket + ": " + e.getMessage());
            }
            ByteBuffer line = ByteBuffer.wrap((request.toLine() + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                ch.write(line);
            }
            ch.shutdownOutput();
            JsonNode reply;
            try (InputStream in = Channels.newInputStream(ch)) {
                byte[] bytes = in.readAllBytes();
                if (bytes.length == 0) {
                    throw new ControlException("the MTA closed the control connection without a reply");
                }
                reply = JSON.readTree(bytes);
            }
            if (reply == null || !reply.path("ok").asBoolean(false)) {
                throw new ControlException(reply == null ? "empty reply" : reply.path("error").asText("no reply"));
            }
            return reply;
        }
    }
}
