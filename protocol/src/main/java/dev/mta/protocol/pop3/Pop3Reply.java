package dev.mta.protocol.pop3;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A POP3 reply (RFC 1939 3): a status line {@code +OK text} or {@code -ERR [CODE] text} (RFC 2449 8), a SASL
 * continuation {@code + data} (RFC 5034 4), or a multi-line reply: the {@code +OK} line, then lines each
 * byte-stuffed (a leading "." doubled), then "." alone. Immutable; single lines are encoded once, when made.
 */
public final class Pop3Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    private enum Kind { OK, ERR, CONTINUE }

    private final Kind kind;
    private final ResponseCode code;
    private final String text;
    /** The lines after the status line of a multi-line reply, not stuffed; null for a single line. */
    private final List<String> lines;
    private final byte[] statusLine;

    private Pop3Reply(Kind kind, ResponseCode code, String text, List<String> lines) {
        checkLine(text);
        if (lines != null) {
            lines.forEach(Pop3Reply::checkLine);
        }
        this.kind = kind;
        this.code = code;
        this.text = text;
        this.lines = lines == null ? null : List.copyOf(lines);
        this.statusLine = encodeStatus();
    }

    private static void checkLine(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("a reply line may not contain CR or LF");
            }
        }
    }

    /** {@code +OK text}. */
    public static Pop3Reply ok(String text) {
        return new Pop3Reply(Kind.OK, null, text, null);
    }

    /** {@code -ERR text}. */
    public static Pop3Reply err(String text) {
        return new Pop3Reply(Kind.ERR, null, text, null);
    }

    /** {@code -ERR [CODE] text}. */
    public static Pop3Reply err(ResponseCode code, String text) {
        return new Pop3Reply(Kind.ERR, code, text, null);
    }

    /** {@code +OK text}, then {@code lines} stuffed, then the terminating ".". */
    public static Pop3Reply multiLine(String text, List<String> lines) {
        return new Pop3Reply(Kind.OK, null, text, lines);
    }

    /** A SASL challenge: {@code + } and the base64 text ("" for an empty challenge). */
    public static Pop3Reply continuation(String base64) {
        return new Pop3Reply(Kind.CONTINUE, null, base64, null);
    }

    public boolean isOk() {
        return kind == Kind.OK;
    }

    public boolean isError() {
        return kind == Kind.ERR;
    }

    public ResponseCode code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** The lines after the status line, not stuffed; null for a single-line reply. */
    public List<String> lines() {
        return lines;
    }

    private byte[] encodeStatus() {
        StringBuilder b = new StringBuilder(text.length() + 24);
        switch (kind) {
            case OK -> b.append("+OK");
            case ERR -> b.append("-ERR");
            default -> b.append('+');
        }
        if (code != null) {
            b.append(" [").append(code.wire()).append(']');
        }
        if (!text.isEmpty() || kind == Kind.CONTINUE) {
            b.append(' ').append(text);
        }
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** How many octets {@link #writeTo} writes. */
    public int wireLength() {
        int n = statusLine.length;
        if (lines != null) {
            for (String line : lines) {
                n += line.getBytes(StandardCharsets.UTF_8).length + CRLF.length + (line.startsWith(".") ? 1 : 0);
            }
            n += END.length;
        }
        return n;
    }

    /** Writes the reply in its wire form. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(statusLine);
        if (lines == null) {
            return;
        }
        for (String line : lines) {
            if (line.startsWith(".")) {
                out.writeByte('.'); // RFC 1939 3: byte-stuffing
            }
            out.writeCharSequence(line, StandardCharsets.UTF_8);
            out.writeBytes(CRLF);
        }
        out.writeBytes(END);
    }

    /** The status line as sent, without its CRLF. */
    public String statusLine() {
        return new String(statusLine, 0, statusLine.length - 2, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return lines == null ? statusLine() : statusLine() + " (+" + lines.size() + " lines)";
    }
}
