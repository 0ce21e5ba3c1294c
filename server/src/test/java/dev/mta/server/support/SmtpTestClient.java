package dev.mta.server.support;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A raw-socket SMTP client for tests: it sends exactly the bytes it is given and parses replies strictly. */
public final class SmtpTestClient implements Closeable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static SmtpTestClient connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(15_000);
        s.setTcpNoDelay(true);
        return new SmtpTestClient(s);
    }

    /** Connects, checks the 220 greeting and says EHLO. */
    public static SmtpTestClient greeted(InetSocketAddress address) throws IOException {
        SmtpTestClient c = connect(address);
        c.expect(220);
        c.command("EHLO client.test").assertCode(250);
        return c;
    }

    /** After STARTTLS's 220: the TLS handshake on this connection (any certificate taken); commands go under TLS then. */
    public javax.net.ssl.SSLSocket startTls() throws IOException {
        javax.net.ssl.SSLSocket tls = TrustAllTls.layer(socket, (InetSocketAddress) socket.getRemoteSocketAddress());
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
        return tls;
    }

    /** Connects with TLS from the first byte (implicit TLS, RFC 8314), handshake done; the greeting is next. */
    public static SmtpTestClient connectTls(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(15_000);
        s.setTcpNoDelay(true);
        return new SmtpTestClient(TrustAllTls.layer(s, address));
    }

    /** Everything the server sends until it closes the connection (or the read timeout), as ISO-8859-1 text. */
    public String readToEnd() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                buf.write(b);
            }
        } catch (IOException e) {
            // reset or timeout: what came so far is the answer
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Waits (up to {@code millis}) until the server's next bytes have arrived, without reading them. */
    public boolean awaitPending(int millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (in.available() == 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one line with CRLF and reads the reply. */
    public Reply command(String line) throws IOException {
        send(line + "\r\n");
        return read();
    }

    public Reply expect(int code) throws IOException {
        Reply r = read();
        assertEquals(code, r.code(), () -> "unexpected reply " + r);
        return r;
    }

    /** Reads one reply, checking each line is "ddd-" or "ddd " with the same code and ends in CRLF. */
    public Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed while reading a reply; got " + lines);
            }
            if (line.length() < 4 || (line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("malformed reply line: " + line);
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new IOException("reply code changed within a multi-line reply: " + line);
            }
            code = c;
            lines.add(line.substring(4));
            if (line.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
        }
    }

    /** True when the server closes the connection (end of stream) within the read timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset counts as closed
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                if (prev != '\r') {
                    throw new IOException("reply line not ended by CRLF");
                }
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            buf.write(b);
            prev = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
