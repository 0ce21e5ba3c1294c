package dev.mta.interop;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback ports: a free one to give a server, and waiting until a server takes connections on one. */
final class Ports {
    private Ports() {
    }

    static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until 127.0.0.1:{@code port} accepts a connection, at most {@code limit}; false if it never did. */
    static boolean awaitListening(int port, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }
}
