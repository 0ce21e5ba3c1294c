package dev.mta.bench.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Loopback ports: a free one, and waiting until a server greets on one. */
final class Ports {
    private Ports() {
    }

    static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until an SMTP server answers 220 on {@code address}; false when {@code within} passed first. */
    static boolean awaitGreeting(InetSocketAddress address, Duration within, ProcessHandle alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && (alive == null || alive.isAlive())) {
            try (Socket s = new Socket()) {
                s.connect(address, 1_000);
                s.setSoTimeout(5_000);
                if (new String(s.getInputStream().readNBytes(3), StandardCharsets.US_ASCII).equals("220")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }
}
