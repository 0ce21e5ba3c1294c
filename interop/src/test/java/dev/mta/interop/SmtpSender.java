package dev.mta.interop;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hands a message to an SMTP server, one command at a time, checking every reply: the test's way in to Postfix,
 * Exim and this MTA. The content is sent as given (CRLF lines) with dots stuffed; commands are UTF-8.
 */
final class SmtpSender implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SmtpSender(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    static SmtpSender connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 10_000);
        s.setSoTimeout(120_000);
        SmtpSender c = new SmtpSender(s);
        c.expect(220);
        c.command("EHLO client.test", 250);
        return c;
    }

    /** One transaction; {@code mailParams} follow MAIL FROM:&lt;from&gt; (e.g. " BODY=8BITMIME"). */
    void send(String from, String mailParams, List<String> to, byte[] content) throws IOException {
        command("MAIL FROM:<" + from + ">" + mailParams, 250);
        for (String rcpt : to) {
            command("RCPT TO:<" + rcpt + ">", 250);
        }
        command("DATA", 354);
        out.write(stuffed(content));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(250);
    }

    /** Sends {@code line} and checks the reply's code; returns the reply. */
    String command(String line, int code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return expect(code);
    }

    private String expect(int code) throws IOException {
        String reply = reply();
        if (!reply.startsWith(Integer.toString(code))) {
            throw new AssertionError("expected " + code + ", got: " + reply);
        }
        return reply;
    }

    private String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = line();
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Doubles a dot that starts a line (RFC 5321 4.5.2); the content must end with CRLF. */
    static byte[] stuffed(byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(content.length + content.length / 50);
        boolean lineStart = true;
        for (byte x : content) {
            if (lineStart && x == '.') {
                b.write('.');
            }
            b.write(x);
            lineStart = x == '\n';
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT", 221);
        } catch (IOException | AssertionError ignored) {
            // closing anyway
        }
        socket.close();
    }
}
