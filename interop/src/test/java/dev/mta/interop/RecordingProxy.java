package dev.mta.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback port in front of a server that keeps each read of the client's bytes as it came: a read
 * holding MAIL and RCPT together shows that the client pipelined (RFC 2920), since without pipelining it waits for
 * the reply to MAIL before it sends RCPT.
 */
final class RecordingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<String> clientReads = new CopyOnWriteArrayList<>();

    RecordingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "recording-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every read of client bytes so far, as Latin-1 text (after STARTTLS: ciphertext). */
    List<String> clientReads() {
        return List.copyOf(clientReads);
    }

    boolean sawPipelinedMailAndRcpt() {
        return clientReads.stream().anyMatch(r -> r.contains("MAIL FROM:") && r.contains("RCPT TO:"));
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try {
                // Streams left open: closing one would close its socket, and the other direction with it.
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (record && n < 4096) {
                        clientReads.add(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // either side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "recording-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
