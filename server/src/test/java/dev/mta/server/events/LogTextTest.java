package dev.mta.server.events;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client text in log lines cannot start a line of its own, move the cursor, or run on without end. */
class LogTextTest {
    @Test
    void controlsAreEscaped() {
        assertEquals("evil\\x0d\\x0a2026 INFO forged", LogText.of("evil\r\n2026 INFO forged"));
        assertEquals("\\x1b[2J", LogText.of("\u001b[2J"));
        assertEquals("a\\u2028b\\x85c", LogText.of("a\u2028b\u0085c"));
        assertEquals("back\\\\slash", LogText.of("back\\slash"), "a backslash is doubled, so no escape can be faked");
        assertEquals("alice@example.org", LogText.of("alice@example.org"));
        assertEquals("jürgen@exämple.org", LogText.of("jürgen@exämple.org"), "printable non-ASCII stays");
        assertEquals("null", LogText.of(null));
    }

    @Test
    void longTextIsCut() {
        String s = LogText.of("x".repeat(10_000));
        assertEquals(LogText.MAX + 3, s.length());
        assertTrue(s.endsWith("..."));
        assertFalse(LogText.of("\n".repeat(10_000)).contains("\n"));
    }
}
