package dev.mta.server.durability;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.QueueConfig;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client queues messages of 1,000 long recipients each, with the relay off, into a server with a 64 MB heap.
 * The queue's index of envelopes lives on the heap: it must fill to its share and then refuse new mail with
 * 452 4.3.1, never run the heap out and kill the server (as it did, after about 225 such messages).
 */
class QueueFullTest {
    private static final String DOMAIN = "dddddddd.".repeat(19) + "example"; // 178 characters, labels of 8

    @TempDir
    Path dir;

    @Test
    void aQueueThatFillsTheHeapRefusesNewMailInsteadOfDying() throws Exception {
        Path spool = dir.resolve("spool");
        Path log = dir.resolve("mta.log");
        int port = MtaProcess.freePort();
        List<String> jvm = List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");
        Process mta = MtaProcess.start(port, spool, log, jvm, List.of("--no-relay"));
        int queued = 0;
        String refusal = null;
        try {
            MtaProcess.awaitListening(port);
            try (Client c = new Client(port)) {
                for (int n = 0; n < 400 && refusal == null; n++) {
                    String end = sendMessage(c, n); // 452 after the content, or at MAIL once the queue knows it is full
                    if (end.startsWith("250 ")) {
                        queued++;
                    } else {
                        refusal = end;
                    }
                }
            }
            assertTrue(refusal != null, "the queue filled: " + queued + " messages of 1000 recipients were taken");
            assertTrue(refusal.startsWith("452 4.3.1 "), refusal);
            assertTrue(mta.isAlive(), Files.readString(log));
            try (SmtpTestClient other = SmtpTestClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                other.expect(220);
            }
        } finally {
            mta.destroy();
            mta.waitFor(20, TimeUnit.SECONDS);
        }
        assertFalse(Files.readString(log).contains("java.lang.OutOfMemoryError"), Files.readString(log));

        try (DurableQueue q = DurableQueue.open(QueueConfig.defaults(spool))) {
            assertEquals(queued, q.size(), "every message that got 250 is queued");
        }

        // Restarted on that queue, the server is up, and still refuses new mail until the queue drains.
        Process again = MtaProcess.start(port, spool, dir.resolve("again.log"), jvm, List.of("--no-relay"));
        try {
            MtaProcess.awaitListening(port);
            try (Client c = new Client(port)) {
                c.send("MAIL FROM:<s@example.com>\r\n");
                String r = c.reply();
                assertTrue(r.startsWith("452 4.3.1 "), "refused at MAIL, before the content: " + r);
            }
            assertTrue(again.isAlive());
        } finally {
            again.destroy();
            assertTrue(again.waitFor(20, TimeUnit.SECONDS));
        }
        System.out.printf("queue full after %d messages of 1000 recipients; then %s%n", queued, refusal);
    }

    /** A plain client with buffered reads: tens of thousands of replies are read here. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            assertTrue(in.readLine().startsWith("220 "));
            send("EHLO client.test\r\n");
            String line;
            while ((line = in.readLine()).startsWith("250-")) {
                // the extensions
            }
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** The next reply's last line. */
        String reply() throws IOException {
            String line;
            while ((line = in.readLine()) != null && line.charAt(3) == '-') {
                // a multi-line reply
            }
            if (line == null) {
                throw new IOException("connection closed");
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * One message to 1,000 recipients of 64 + 178 characters, the recipients pipelined; returns the last line of the
     * reply after the dot, or of the reply to MAIL when that refuses.
     */
    private static String sendMessage(Client c, int n) throws IOException {
        // MAIL alone first: once the queue is full it refuses there, and a thousand RCPTs pipelined behind the refusal
        // would each be an error (503), ending the session with 421 while this client may still be writing them.
        c.send("MAIL FROM:<s@example.com>\r\n");
        String mail = c.reply();
        if (!mail.startsWith("250 ")) {
            return mail; // refused at MAIL: the queue is full
        }
        StringBuilder envelope = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String local = String.format("m%05dr%04d", n, i) + "x".repeat(53);
            envelope.append("RCPT TO:<").append(local).append('@').append(DOMAIN).append(">\r\n");
        }
        envelope.append("DATA\r\n");
        c.send(envelope.toString());
        for (int i = 0; i < 1000; i++) {
            String r = c.reply();
            assertTrue(r.startsWith("250 "), r);
        }
        assertTrue(c.reply().startsWith("354 "));
        c.send("Subject: " + n + "\r\n\r\nx\r\n.\r\n");
        return c.reply();
    }
}
