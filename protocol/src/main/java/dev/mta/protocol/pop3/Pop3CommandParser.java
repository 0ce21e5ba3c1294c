package dev.mta.protocol.pop3;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The POP3 command grammar as a pure function (RFC 1939 3, RFC 2449 4): a keyword of three or four letters in any
 * case, then arguments separated by spaces, each at most 40 octets. PASS takes the rest of the line as one argument
 * (RFC 1939 7: a password may hold spaces), and AUTH's initial response and USER's name are bounded by the line
 * alone (RFC 5034 4; a user name may be a long address).
 * The line's own limit (255 octets with its CRLF) is the framer's. Control characters refuse the line.
 */
public final class Pop3CommandParser {
    /** RFC 2449 4: a command line, with its CRLF, is at most 255 octets. */
    public static final int MAX_LINE_LENGTH = 255;
    /** RFC 2449 4: each argument is at most 40 octets. */
    public static final int MAX_ARGUMENT_LENGTH = 40;

    static final Pop3Reply UNKNOWN = Pop3Reply.err("Unknown command");
    static final Pop3Reply BAD_CHARACTERS = Pop3Reply.err("Control characters in command");
    static final Pop3Reply TOO_FEW = Pop3Reply.err("Missing argument");
    static final Pop3Reply TOO_MANY = Pop3Reply.err("Too many arguments");
    static final Pop3Reply TOO_LONG_ARGUMENT = Pop3Reply.err("Argument longer than 40 octets");
    static final Pop3Reply BAD_NUMBER = Pop3Reply.err("Invalid message number");
    static final Pop3Reply BAD_LINE_COUNT = Pop3Reply.err("Invalid number of lines");

    private Pop3CommandParser() {
    }

    /** The command on {@code line} (without its CRLF); never null, never throws. */
    public static Pop3Command parse(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return Pop3Command.rejected(null, BAD_CHARACTERS);
            }
        }
        int sp = line.indexOf(' ');
        Pop3Verb verb = Pop3Verb.of(sp < 0 ? line : line.substring(0, sp));
        if (verb == null) {
            return Pop3Command.rejected(null, UNKNOWN);
        }
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        if (verb == Pop3Verb.PASS) {
            // The whole rest, spaces and all; "PASS" alone has none.
            return sp < 0 ? Pop3Command.rejected(verb, TOO_FEW) : Pop3Command.of(verb, List.of(rest));
        }
        List<String> args = split(rest);
        if (args.size() < verb.minArguments()) {
            return Pop3Command.rejected(verb, TOO_FEW);
        }
        if (args.size() > verb.maxArguments()) {
            return Pop3Command.rejected(verb, TOO_MANY);
        }
        for (int i = 0; i < args.size(); i++) {
            boolean initialResponse = verb == Pop3Verb.AUTH && i == 1;
            // A user name as long as the users file allows (an address may pass 40): RFC 2449 lets a server take
            // longer arguments, and refusing it would lock USER/PASS-only clients out.
            boolean userName = verb == Pop3Verb.USER;
            if (!initialResponse && !userName && args.get(i).getBytes(StandardCharsets.UTF_8).length > MAX_ARGUMENT_LENGTH) {
                return Pop3Command.rejected(verb, TOO_LONG_ARGUMENT);
            }
        }
        if (verb.takesMessageNumber() && !args.isEmpty() && number(args.get(0)) < 1) {
            return Pop3Command.rejected(verb, BAD_NUMBER);
        }
        if (verb == Pop3Verb.TOP && number(args.get(1)) < 0) {
            return Pop3Command.rejected(verb, BAD_LINE_COUNT);
        }
        return Pop3Command.of(verb, args);
    }

    /** Arguments separated by one or more spaces; spaces at the ends are ignored. */
    private static List<String> split(String rest) {
        List<String> args = new ArrayList<>(2);
        int i = 0;
        int n = rest.length();
        while (i < n) {
            while (i < n && rest.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && rest.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                args.add(rest.substring(start, i));
            }
        }
        return args;
    }

    /**
     * A decimal number of digits only (no sign), as an int; -1 when it is not one. Values past an int are
     * {@link Integer#MAX_VALUE}: no maildrop holds that many messages, and no message that many lines.
     */
    static int number(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = Math.min(Integer.MAX_VALUE, v * 10 + (c - '0'));
        }
        return (int) v;
    }
}
