package dev.mta.protocol.reply;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** An SMTP reply: a three-digit code, an optional enhanced status and one or more text lines; immutable. */
public final class SmtpReply {
    private final int code;
    private final EnhancedStatus status;
    private final List<String> lines;
    private final byte[] wire;

    private SmtpReply(int code, EnhancedStatus status, List<String> lines) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        if (status != null && status.statusClass() != code / 100) {
            throw new IllegalArgumentException("enhanced status " + status + " does not match reply " + code);
        }
        for (String line : lines) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\r' || c == '\n') {
                    throw new IllegalArgumentException("reply text may not contain CR or LF");
                }
            }
        }
        this.code = code;
        this.status = status;
        this.lines = List.copyOf(lines);
        this.wire = encode();
    }

    /** A reply with an explicit enhanced status (null for none) and text lines. */
    public static SmtpReply of(int code, EnhancedStatus status, String... lines) {
        return new SmtpReply(code, status, List.of(lines));
    }

    /** A reply with an enhanced status given as "x.y.z". */
    public static SmtpReply of(int code, String status, String... lines) {
        return new SmtpReply(code, status == null ? null : EnhancedStatus.parse(status), List.of(lines));
    }

    /** A reply with the code's default enhanced status. */
    public static SmtpReply of(ReplyCode code, String... lines) {
        return new SmtpReply(code.code(), code.defaultStatus(), List.of(lines));
    }

    /** A reply with lines given as a list. */
    public static SmtpReply of(int code, EnhancedStatus status, List<String> lines) {
        return new SmtpReply(code, status, lines);
    }

    public int code() {
        return code;
    }

    public EnhancedStatus status() {
        return status;
    }

    public List<String> lines() {
        return lines;
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The reply as it goes on the wire: "250-..." for all lines but the last, "250 ..." for the last. */
    public byte[] wireBytes() {
        return wire;
    }

    private byte[] encode() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                sb.append(status).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return new String(wire, StandardCharsets.UTF_8).replace("\r\n", "\\r\\n");
    }
}
