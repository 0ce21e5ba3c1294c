package dev.mta.server.support;

import java.util.List;

/** A reply as a test client read it off the wire. */
public record Reply(int code, List<String> lines) {
    /** The enhanced status code at the start of the first line, or "" when there is none. */
    public String status() {
        String first = lines.get(0);
        int sp = first.indexOf(' ');
        String word = sp < 0 ? first : first.substring(0, sp);
        return word.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? word : "";
    }

    /** The text of the last line. */
    public String text() {
        return lines.get(lines.size() - 1);
    }

    /** Fails unless the code is {@code expected}. */
    public Reply assertCode(int expected) {
        if (code != expected) {
            throw new AssertionError("expected " + expected + " but got " + this);
        }
        return this;
    }

    /** Fails unless the code and enhanced status are as expected. */
    public Reply assertReply(int expected, String expectedStatus) {
        assertCode(expected);
        if (!status().equals(expectedStatus)) {
            throw new AssertionError("expected " + expected + " " + expectedStatus + " but got " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return code + " " + String.join(" | ", lines);
    }
}
