package dev.mta.protocol.pop3;

import java.util.EnumSet;
import java.util.Set;

/**
 * The POP3 commands this server knows, each with how many arguments it takes and the states it is valid in
 * (RFC 1939 sections 4 to 7, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH).
 */
public enum Pop3Verb {
    USER(1, 1, Pop3State.AUTHORIZATION),
    /** Its one argument is the rest of the line: a password may hold spaces (RFC 1939 7). */
    PASS(1, 1, Pop3State.AUTHORIZATION),
    APOP(2, 2, Pop3State.AUTHORIZATION),
    /** The mechanism and an optional initial response; none asks for the list of mechanisms. */
    AUTH(0, 2, Pop3State.AUTHORIZATION),
    STLS(0, 0, Pop3State.AUTHORIZATION),
    CAPA(0, 0, Pop3State.AUTHORIZATION, Pop3State.TRANSACTION),
    QUIT(0, 0, Pop3State.AUTHORIZATION, Pop3State.TRANSACTION),
    STAT(0, 0, Pop3State.TRANSACTION),
    LIST(0, 1, Pop3State.TRANSACTION),
    RETR(1, 1, Pop3State.TRANSACTION),
    DELE(1, 1, Pop3State.TRANSACTION),
    NOOP(0, 0, Pop3State.TRANSACTION),
    RSET(0, 0, Pop3State.TRANSACTION),
    TOP(2, 2, Pop3State.TRANSACTION),
    UIDL(0, 1, Pop3State.TRANSACTION);

    private final int minArguments;
    private final int maxArguments;
    private final Set<Pop3State> states;

    Pop3Verb(int minArguments, int maxArguments, Pop3State first, Pop3State... more) {
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
        this.states = EnumSet.of(first, more);
    }

    public int minArguments() {
        return minArguments;
    }

    public int maxArguments() {
        return maxArguments;
    }

    /** Whether the command may be given in {@code state}. */
    public boolean validIn(Pop3State state) {
        return states.contains(state);
    }

    /** Whether its first argument is a message number. */
    public boolean takesMessageNumber() {
        return this == LIST || this == RETR || this == DELE || this == TOP || this == UIDL;
    }

    /** The verb for a keyword in any case, or null for one this server does not know. */
    public static Pop3Verb of(String keyword) {
        if (keyword.length() < 3 || keyword.length() > 4) {
            return null;
        }
        StringBuilder upper = new StringBuilder(4);
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - 'a' + 'A');
            } else if (c < 'A' || c > 'Z') {
                return null;
            }
            upper.append(c);
        }
        try {
            return valueOf(upper.toString());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
