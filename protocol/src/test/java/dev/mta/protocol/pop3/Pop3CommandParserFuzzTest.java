package dev.mta.protocol.pop3;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Pop3CommandParser#parse} on arbitrary lines: it never throws; a refusal is one {@code -ERR} line that
 * cannot be broken apart; an accepted command has a verb, as many arguments as the verb takes, each within RFC
 * 2449's 40 octets (but PASS and AUTH's initial response), and checked message numbers.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code Pop3CommandParserFuzzTestInputs/parse/}; .ci/run fuzzes it.
 */
@Tag("fuzz")
class Pop3CommandParserFuzzTest {
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"USER ", "PASS ", "APOP ", "AUTH ", "PLAIN", "STLS", "CAPA", "QUIT", "STAT", "LIST ",
            "RETR ", "DELE ", "NOOP", "RSET", "TOP ", "UIDL ", " ", "0", "1", "99999999999", "-", "\\x00", "\\x7f",
            "\\xc3\\xa9", "="})
    void parse(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
        check(new String(input, StandardCharsets.ISO_8859_1));
    }

    private static void check(String line) {
        Pop3Command c = Pop3CommandParser.parse(line);
        assertNotNull(c);
        if (c.isRejected()) {
            Pop3Reply r = c.rejection();
            assertTrue(r.isError(), () -> "a refusal that is not -ERR: " + r);
            ByteBuf b = Unpooled.buffer();
            try {
                r.writeTo(b);
                String wire = b.toString(StandardCharsets.UTF_8);
                assertTrue(wire.startsWith("-ERR") && wire.indexOf('\n') == wire.length() - 1, () -> "bad reply " + wire);
            } finally {
                b.release();
            }
            return;
        }
        Pop3Verb v = c.verb();
        assertNotNull(v, () -> "accepted an unknown command: " + line);
        int n = c.arguments().size();
        assertTrue(n >= v.minArguments() && n <= v.maxArguments(), () -> v + " with " + n + " arguments: " + line);
        for (int i = 0; i < n; i++) {
            String a = c.argument(i);
            // PASS, USER (a user name may be a long address) and AUTH's initial response are bounded by the line only.
            if (v != Pop3Verb.PASS && v != Pop3Verb.USER && !(v == Pop3Verb.AUTH && i == 1)) {
                assertTrue(a.getBytes(StandardCharsets.UTF_8).length <= Pop3CommandParser.MAX_ARGUMENT_LENGTH,
                        () -> "argument too long in " + line);
                assertFalse(a.isEmpty() || a.indexOf(' ') >= 0, () -> "bad argument in " + line);
            }
            for (char ch : a.toCharArray()) {
                assertTrue(ch >= 0x20 && ch != 0x7F, () -> "control character accepted in " + line);
            }
        }
        if (v.takesMessageNumber() && n > 0) {
            assertTrue(c.number(0) >= 1, () -> "message number below 1: " + line);
        }
        if (v == Pop3Verb.TOP) {
            assertTrue(c.number(1) >= 0, () -> "negative line count: " + line);
        }
    }
}
