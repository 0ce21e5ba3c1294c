package dev.mta.protocol.command;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mta.protocol.fuzz.RfcReplyCodes;
import dev.mta.protocol.reply.SmtpReply;
import org.junit.jupiter.api.Tag;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CommandParser#parse} on arbitrary lines: it never throws, and every refusal it decides alone carries an
 * RFC 5321/4954 reply code and a text that cannot break the reply apart (no CR or LF in it).
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code CommandParserFuzzTestInputs/parse/}; .ci/run fuzzes it.
 */
@Tag("fuzz")
class CommandParserFuzzTest {
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"HELO ", "EHLO ", "MAIL FROM:", "RCPT TO:", "<", ">", "@", "SIZE=", "BODY=8BITMIME",
            "BODY=7BIT", "SMTPUTF8", "DATA", "RSET", "QUIT", "NOOP", "VRFY ", "EXPN ", "HELP", "STARTTLS", "AUTH ",
            "BDAT ", "\\x22", "\\x5c", "[IPv6:", "]", "=", ":", "%", "!", "\\xc3\\xa9", "\\x00", "\\x7f", "xn--"})
    void parse(byte[] input) {
        // Lines reach the parser as US-ASCII or as strictly valid UTF-8: try both readings of the bytes.
        check(new String(input, StandardCharsets.UTF_8));
        check(new String(input, StandardCharsets.ISO_8859_1));
    }

    private static void check(String line) {
        SmtpCommand command = CommandParser.parse(line);
        assertNotNull(command);
        assertNotNull(command.verb());
        SmtpReply rejection = command.rejection();
        if (rejection != null) {
            assertTrue(RfcReplyCodes.allowed(rejection.code()), () -> "reply code outside RFC 5321/4954: " + rejection
                    + " for " + line);
            for (String text : rejection.lines()) {
                assertFalse(text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0, () -> "CR/LF in reply " + rejection);
            }
            rejection.wireBytes();
            return;
        }
        assertNotEquals(SmtpVerb.UNKNOWN, command.verb(), () -> "accepted an unknown command: " + line);
        if (command.verb() == SmtpVerb.MAIL || command.verb() == SmtpVerb.RCPT) {
            assertNotNull(command.path(), () -> "no path for " + line);
        }
        if (command.verb() == SmtpVerb.MAIL) {
            assertNotNull(command.mailParameters(), () -> "no MAIL parameters for " + line);
        }
    }
}
