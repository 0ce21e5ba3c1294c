package dev.mta.protocol.sasl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The SASL pieces SMTP AUTH needs, as pure functions (RFC 4954, RFC 4616): a client's base64 response line, the
 * PLAIN message {@code [authzid] NUL authcid NUL passwd}, and strict UTF-8. Secrets stay in arrays the caller can
 * wipe; nothing here keeps a copy.
 */
public final class SaslPlain {
    private SaslPlain() {
    }

    /**
     * A response line decoded: {@code =} is an empty initial response (RFC 4954 4); null when the line is not
     * base64 (answered 501 5.5.2).
     */
    public static byte[] decodeResponse(String line) {
        if (line.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Where a PLAIN message's parts lie: the authorisation identity, the authentication identity (both strict
     * UTF-8, without NUL) and the password's bounds in the message. Null when the message is not of that form, or
     * names an authorisation identity other than the authentication identity (not allowed here).
     */
    public static Plain parse(byte[] message) {
        int first = indexOfNul(message, 0);
        int second = first < 0 ? -1 : indexOfNul(message, first + 1);
        if (second < 0) {
            return null;
        }
        String authzid = utf8String(message, 0, first);
        String authcid = utf8String(message, first + 1, second);
        if (authzid == null || authcid == null || authcid.isEmpty() || (!authzid.isEmpty() && !authzid.equals(authcid))) {
            return null;
        }
        return new Plain(authcid, second + 1, message.length);
    }

    /** A PLAIN message's authentication identity and where its password lies ({@code [from, to)}). */
    public record Plain(String authcid, int passwordFrom, int passwordTo) {
    }

    /** Strict UTF-8 of {@code b[from, to)}; null when malformed. */
    public static String utf8String(byte[] b, int from, int to) {
        char[] c = utf8Chars(b, from, to);
        return c == null ? null : new String(c);
    }

    /** Strict UTF-8 of {@code b[from, to)} into an array the caller wipes; null when malformed. */
    public static char[] utf8Chars(byte[] b, int from, int to) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from));
            char[] c = new char[cb.remaining()];
            cb.get(c);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return c;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
