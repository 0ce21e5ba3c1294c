package dev.mta.interop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The messages the scenarios send (complete headers, so no MTA has one to add; CRLF lines), and the byte-for-byte
 * check of what arrives: the message as sent, below the trace headers the hops put on top.
 */
final class TestMessages {
    /** What MTAs put above a message: trace headers, and the envelope lines local delivery adds (Postfix, Exim). */
    private static final List<String> TRACE = List.of("Received: ", "Return-Path: ", "Return-path: ", "Delivered-To: ",
            "X-Original-To: ", "Envelope-to: ", "Delivery-date: ");

    private TestMessages() {
    }

    /** A 7-bit text message, with a line that starts with a dot (stuffed on the wire, not in the content). */
    static byte[] plain(String id, String from, List<String> to) {
        return message(id, from, to, "plain " + id, "text/plain; charset=us-ascii", "7bit",
                "Hello from the interop test.\r\n.a line that starts with a dot\r\n..and two\r\nbye\r\n");
    }

    /** 8-bit UTF-8 text in the body (BODY=8BITMIME), headers 7-bit. */
    static byte[] eightBit(String id, String from, List<String> to) {
        return message(id, from, to, "8bit " + id, "text/plain; charset=utf-8", "8bit",
                "Grüße aus Köln, ½ € – naïve café.\r\nΚαλημέρα κόσμε\r\n");
    }

    /** UTF-8 in the addresses and the headers themselves (SMTPUTF8, RFC 6531/6532). */
    static byte[] international(String id, String from, List<String> to) {
        return message(id, from, to, "Grüße " + id, "text/plain; charset=utf-8", "8bit",
                "Ein Brief an jemanden mit einem Umlaut im Namen.\r\n");
    }

    /** About {@code size} bytes of 76-character lines, every 50th starting with a dot. */
    static byte[] large(String id, String from, List<String> to, int size) {
        StringBuilder body = new StringBuilder(size + 100);
        String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-=+\r\n";
        for (int i = 0; body.length() < size; i++) {
            body.append(i % 50 == 0 ? "." : "").append(i).append(' ').append(line);
        }
        return message(id, from, to, "large " + id, "text/plain; charset=us-ascii", "7bit", body.toString());
    }

    static byte[] message(String id, String from, List<String> to, String subject, String type, String encoding,
                          String body) {
        String head = "Date: Sun, 29 Nov 2026 12:00:00 +0000\r\n"
                + "Message-ID: <" + id + "@client.test>\r\n"
                + "From: <" + from + ">\r\n"
                + "To: " + String.join(",\r\n ", to.stream().map(t -> "<" + t + ">").toList()) + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "X-Interop-Id: " + id + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Transfer-Encoding: " + encoding + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code delivered} carries the message {@code id} (its X-Interop-Id header). */
    static boolean isOf(byte[] delivered, String id) {
        return new String(delivered, StandardCharsets.UTF_8).contains("\nX-Interop-Id: " + id + "\r\n")
                || new String(delivered, StandardCharsets.UTF_8).contains("\nX-Interop-Id: " + id + "\n");
    }

    /**
     * {@code delivered} is trace headers ({@link #TRACE}, each with its folded lines) and then
     * {@code sent} byte for byte; with {@code lf}, as a Unix mailbox file stores it (CRLF turned to LF).
     */
    static void assertSentBelowTrace(byte[] sent, byte[] delivered, boolean lf) {
        byte[] expected = lf ? toLf(sent) : sent;
        assertTrue(delivered.length >= expected.length, "delivered is shorter than sent: " + preview(delivered));
        int start = delivered.length - expected.length;
        byte[] tail = java.util.Arrays.copyOfRange(delivered, start, delivered.length);
        assertArrayEquals(expected, tail, () -> "the content changed on the way:\n" + preview(delivered));
        String trace = new String(delivered, 0, start, StandardCharsets.UTF_8);
        for (String line : trace.split(lf ? "\n" : "\r\n")) {
            assertTrue(line.isEmpty() || TRACE.stream().anyMatch(line::startsWith) || line.startsWith(" ")
                    || line.startsWith("\t"),
                    () -> "not a trace header above the message: " + line + "\nin:\n" + trace);
        }
    }

    /** The headers of {@code delivered} down to the blank line, as text. */
    static String headers(byte[] delivered) {
        String all = new String(delivered, StandardCharsets.UTF_8);
        int end = all.indexOf("\n\n");
        int crlf = all.indexOf("\r\n\r\n");
        if (crlf >= 0 && (end < 0 || crlf < end)) {
            end = crlf;
        }
        return end < 0 ? all : all.substring(0, end);
    }

    static byte[] toLf(byte[] crlf) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(crlf.length);
        for (int i = 0; i < crlf.length; i++) {
            if (!(crlf[i] == '\r' && i + 1 < crlf.length && crlf[i + 1] == '\n')) {
                b.write(crlf[i]);
            }
        }
        return b.toByteArray();
    }

    static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 3000), StandardCharsets.UTF_8);
        return b.length > 3000 ? s + "\n[... " + b.length + " bytes]" : s;
    }
}
