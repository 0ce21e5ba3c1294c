package dev.mta.protocol.sasl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AUTH decoder under a fuzzer: arbitrary response lines and PLAIN messages never throw; an identity found
 * holds no NUL, is the authcid the message names (an authzid only when equal to it), and the password bounds lie
 * after it, inside the message; a line that decodes is base64 that encodes back to it.
 */
@Tag("fuzz")
class SaslPlainFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void plain(byte[] input) {
        byte[] decoded = SaslPlain.decodeResponse(new String(input, StandardCharsets.ISO_8859_1));
        if (decoded != null && input.length > 0 && !(input.length == 1 && input[0] == '=')) {
            // Whatever decoded must be what the standard encoder makes of it (no lenient second reading).
            assertArrayEquals(java.util.Base64.getDecoder().decode(new String(input, StandardCharsets.ISO_8859_1)),
                    decoded);
        }
        check(input);
        if (decoded != null) {
            check(decoded);
        }
    }

    private static void check(byte[] message) {
        byte[] copy = message.clone();
        SaslPlain.Plain p = SaslPlain.parse(message);
        assertArrayEquals(copy, message, "parsing leaves the message as it was");
        if (p == null) {
            return;
        }
        assertTrue(p.authcid().indexOf('\0') < 0 && !p.authcid().isEmpty(), p.authcid());
        int first = indexOf(message, 0);
        int second = indexOf(message, first + 1);
        assertEquals(second + 1, p.passwordFrom());
        assertEquals(message.length, p.passwordTo());
        assertEquals(p.authcid(), new String(Arrays.copyOfRange(message, first + 1, second), StandardCharsets.UTF_8));
        String authzid = new String(Arrays.copyOfRange(message, 0, first), StandardCharsets.UTF_8);
        assertTrue(authzid.isEmpty() || authzid.equals(p.authcid()), authzid);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
