package dev.mta.bench.sink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain blocking SMTP client for the sink's tests: one line out, one reply's code back. */
final class SinkTestClient implements AutoCloseable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    /** The last reply's lines, joined. */
    String last = "";

    SinkTestClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        attach(socket);
    }

    void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        out = s.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    /** The next reply's code; -1 when the connection closed. */
    int reply() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                last = sb.toString();
                return -1;
            }
            sb.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                last = sb.toString();
                return Integer.parseInt(line.substring(0, 3));
            }
        }
    }

    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    int command(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    /** One message to {@code recipients}, with the id header unless null; the end-of-data reply's code. */
    int send(String id, int recipients) throws IOException {
        if (command("MAIL FROM:<load@bench.test>") != 250) {
            return -2;
        }
        int accepted = 0;
        for (int i = 0; i < recipients; i++) {
            if (command("RCPT TO:<r" + i + "@sink.test>") == 250) {
                accepted++;
            }
        }
        int data = command("DATA");
        if (data != 354) {
            return data;
        }
        write(message(id));
        return reply();
    }

    static String message(String id) {
        return "From: load@bench.test\r\nSubject: bench\r\n" + (id == null ? "" : "X-Bench-Id: " + id + "\r\n")
                + "\r\nbody line\r\n..stuffed\r\n.\r\n";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
