package dev.mta.server.pop3;

import dev.mta.server.support.TrustAllTls;

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

/** A plain POP3 client for transcript tests: lines as sent, multi-line replies up to the "." line, raw bytes. */
final class Pop3Client implements Closeable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private Pop3Client(Socket socket) throws IOException {
        use(socket);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(10_000);
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    /** Connected, greeting not read. */
    static Pop3Client connect(InetSocketAddress a) throws IOException {
        return new Pop3Client(new Socket(a.getAddress(), a.getPort()));
    }

    /** Connected and greeted (the greeting checked). */
    static Pop3Client greeted(InetSocketAddress a) throws IOException {
        Pop3Client c = connect(a);
        String g = c.line();
        if (!g.startsWith("+OK")) {
            throw new AssertionError("greeting: " + g);
        }
        return c;
    }

    /** Implicit TLS, greeted. */
    static Pop3Client greetedTls(InetSocketAddress a) throws IOException {
        Socket plain = new Socket(a.getAddress(), a.getPort());
        Pop3Client c = new Pop3Client(TrustAllTls.layer(plain, a));
        String g = c.line();
        if (!g.startsWith("+OK")) {
            throw new AssertionError("greeting: " + g);
        }
        return c;
    }

    /** TLS over this connection now (after STLS's +OK). */
    void startTls(InetSocketAddress a) throws IOException {
        use(TrustAllTls.layer(socket, a));
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends {@code line} with CRLF and reads the status line. */
    String cmd(String line) throws IOException {
        send(line + "\r\n");
        return line();
    }

    /** One line, without its CRLF (which must be there). */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        String s = b.toString(StandardCharsets.UTF_8);
        if (!s.endsWith("\r\n")) {
            throw new AssertionError("no CRLF-ended line, got: " + s);
        }
        return s.substring(0, s.length() - 2);
    }

    /** The lines of a multi-line reply after its status line, as sent (still stuffed), without the final ".". */
    List<String> multiLine() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l = line(); !l.equals("."); l = line()) {
            lines.add(l);
        }
        return lines;
    }

    /** Logs in as {@code user} with USER and PASS; the PASS reply. */
    String login(String user) throws IOException {
        String u = cmd("USER " + user);
        if (!u.startsWith("+OK")) {
            return u;
        }
        return cmd("PASS " + Pop3Fixture.PASSWORD);
    }

    /** True when the server closed the connection (end of stream) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Drops the connection without QUIT. */
    void drop() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
