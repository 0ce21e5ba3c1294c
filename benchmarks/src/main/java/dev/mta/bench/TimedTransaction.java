package dev.mta.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One client's whole transaction, timed: connect, greeting, EHLO, MAIL, RCPT, DATA, a short message, QUIT. Any
 * reply but the expected one, or none within the timeout, is an IOException naming it.
 */
final class TimedTransaction {
    private TimedTransaction() {
    }

    /** How long the greeting and the whole transaction took, and the reply that queued the message. */
    record Timing(long greetingNanos, long totalNanos, String queued) {
    }

    static Timing run(InetSocketAddress server, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(server, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            long greeted = System.nanoTime() - start;
            say(out, "EHLO idle-bench.test");
            expect(in, "250");
            say(out, "MAIL FROM:<bench@example.com>");
            expect(in, "250");
            say(out, "RCPT TO:<sink@example.com>");
            expect(in, "250");
            say(out, "DATA");
            expect(in, "354");
            say(out, "Subject: idle connections benchmark\r\n\r\nserved among idle connections\r\n.");
            String queued = expect(in, "250");
            say(out, "QUIT");
            expect(in, "221");
            return new Timing(greeted, System.nanoTime() - start, queued);
        }
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one reply (its continuation lines too) and returns its last line, if its code is {@code code}. */
    private static String expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed while waiting for " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code + " ")) {
            throw new IOException("expected " + code + ", got: " + line);
        }
        return line;
    }
}
