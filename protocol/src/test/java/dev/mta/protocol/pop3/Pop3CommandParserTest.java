package dev.mta.protocol.pop3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Pop3CommandParserTest {
    private static Pop3Command ok(String line) {
        Pop3Command c = Pop3CommandParser.parse(line);
        assertFalse(c.isRejected(), () -> line + " refused: " + c.rejection());
        return c;
    }

    private static Pop3Reply refused(String line) {
        Pop3Command c = Pop3CommandParser.parse(line);
        assertTrue(c.isRejected(), () -> line + " accepted");
        assertTrue(c.rejection().isError());
        return c.rejection();
    }

    @Test
    void keywordsInAnyCase() {
        assertEquals(Pop3Verb.STAT, ok("stat").verb());
        assertEquals(Pop3Verb.UIDL, ok("UiDl").verb());
        assertEquals(Pop3Verb.TOP, ok("top 1 0").verb());
        assertEquals(List.of("1", "0"), ok("TOP 1 0").arguments());
    }

    @Test
    void messageNumbersArePositiveDecimals() {
        assertEquals(3, ok("RETR 3").number(0));
        assertEquals(7, ok("LIST 007").number(0));
        assertEquals(Integer.MAX_VALUE, ok("RETR 99999999999999999999").number(0));
        assertEquals(Pop3CommandParser.BAD_NUMBER, refused("RETR 0"));
        assertEquals(Pop3CommandParser.BAD_NUMBER, refused("DELE -1"));
        assertEquals(Pop3CommandParser.BAD_NUMBER, refused("LIST x"));
        assertEquals(Pop3CommandParser.BAD_NUMBER, refused("UIDL +1"));
        assertEquals(0, ok("TOP 1 0").number(1));
        assertEquals(Pop3CommandParser.BAD_LINE_COUNT, refused("TOP 1 -2"));
    }

    @Test
    void argumentCounts() {
        assertEquals(Pop3CommandParser.TOO_FEW, refused("RETR"));
        assertEquals(Pop3CommandParser.TOO_FEW, refused("TOP 1"));
        assertEquals(Pop3CommandParser.TOO_MANY, refused("STAT 1"));
        assertEquals(Pop3CommandParser.TOO_MANY, refused("LIST 1 2"));
        assertEquals(Pop3CommandParser.TOO_FEW, refused("USER"));
        assertEquals(Pop3CommandParser.TOO_FEW, refused("PASS"));
        assertTrue(ok("LIST").arguments().isEmpty());
        assertTrue(ok("AUTH").arguments().isEmpty());
        assertEquals(List.of("PLAIN", "AGFsaWNlAHNlY3JldA=="), ok("AUTH PLAIN AGFsaWNlAHNlY3JldA==").arguments());
        // Extra spaces are tolerated between and after arguments.
        assertEquals(List.of("1", "5"), ok("TOP  1 5 ").arguments());
    }

    @Test
    void passTakesTheRestOfTheLineSpacesAndAll() {
        assertEquals(List.of("my secret  pass "), ok("PASS my secret  pass ").arguments());
        assertEquals(List.of(""), ok("PASS ").arguments());
        // Longer than 40 octets: a password is not an RFC 2449 argument of the usual kind.
        assertEquals("x".repeat(100), ok("PASS " + "x".repeat(100)).argument(0));
    }

    @Test
    void argumentsAreAtMostFortyOctets() {
        ok("TOP 1 " + "1".repeat(40));
        assertEquals(Pop3CommandParser.TOO_LONG_ARGUMENT, refused("TOP 1 " + "1".repeat(41)));
        // Non-ASCII counts in octets.
        assertEquals(Pop3CommandParser.TOO_LONG_ARGUMENT, refused("AUTH " + "é".repeat(21)));
        // A user name may be a long address: bounded by the line only.
        assertEquals("a".repeat(60) + "@example.org", ok("USER " + "a".repeat(60) + "@example.org").argument(0));
        // AUTH's initial response is bounded by the line only (RFC 5034 4).
        ok("AUTH PLAIN " + "A".repeat(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "XYZZY", "HELO x", "AP", "RETRIEVE 1", "ST\u00c4T"})
    void unknownKeywords(String line) {
        assertEquals(Pop3CommandParser.UNKNOWN, refused(line));
        assertNull(Pop3CommandParser.parse(line).verb());
    }

    @Test
    void controlCharactersRefuseTheLine() {
        assertEquals(Pop3CommandParser.BAD_CHARACTERS, refused("USER a\u0000b"));
        assertEquals(Pop3CommandParser.BAD_CHARACTERS, refused("PASS a\rb"));
        assertEquals(Pop3CommandParser.BAD_CHARACTERS, refused("LIST\t1"));
    }

    @Test
    void statesOfEachVerb() {
        assertTrue(Pop3Verb.USER.validIn(Pop3State.AUTHORIZATION));
        assertFalse(Pop3Verb.USER.validIn(Pop3State.TRANSACTION));
        assertTrue(Pop3Verb.CAPA.validIn(Pop3State.AUTHORIZATION) && Pop3Verb.CAPA.validIn(Pop3State.TRANSACTION));
        assertTrue(Pop3Verb.QUIT.validIn(Pop3State.AUTHORIZATION) && Pop3Verb.QUIT.validIn(Pop3State.TRANSACTION));
        assertFalse(Pop3Verb.NOOP.validIn(Pop3State.AUTHORIZATION));
        assertFalse(Pop3Verb.STLS.validIn(Pop3State.TRANSACTION));
        for (Pop3Verb v : Pop3Verb.values()) {
            assertFalse(v.validIn(Pop3State.UPDATE), v + " in UPDATE");
        }
    }

    @Test
    void aCommandNeverShowsItsArguments() {
        assertFalse(ok("PASS hunter2").toString().contains("hunter2"));
    }
}
