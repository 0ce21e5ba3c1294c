package dev.mta.protocol.pop3;

import java.util.List;

/**
 * One POP3 command line, parsed: its verb and arguments, or the refusal the grammar alone decided (the verb is then
 * null when the keyword is unknown). Message numbers are checked here, so {@link #number(int)} of a command without
 * a rejection is a positive number.
 */
public record Pop3Command(Pop3Verb verb, List<String> arguments, Pop3Reply rejection) {
    public Pop3Command {
        arguments = List.copyOf(arguments);
    }

    static Pop3Command of(Pop3Verb verb, List<String> arguments) {
        return new Pop3Command(verb, arguments, null);
    }

    static Pop3Command rejected(Pop3Verb verb, Pop3Reply why) {
        return new Pop3Command(verb, List.of(), why);
    }

    public boolean isRejected() {
        return rejection != null;
    }

    /** The {@code i}th argument (from 0), or null when there are fewer. */
    public String argument(int i) {
        return i < arguments.size() ? arguments.get(i) : null;
    }

    /** The {@code i}th argument as the number the parser checked (TOP's line count may be 0; large values cap). */
    public int number(int i) {
        return Pop3CommandParser.number(arguments.get(i));
    }

    @Override
    public String toString() {
        // Never the arguments: PASS carries a password, AUTH a SASL response.
        return "Pop3Command[" + (verb == null ? "unknown" : verb) + (rejection == null ? "" : ", " + rejection) + "]";
    }
}
