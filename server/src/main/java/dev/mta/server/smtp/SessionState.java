package dev.mta.server.smtp;

/**
 * Where a session is in the RFC 5321 command sequence. {@link CommandSequence} says which command each state takes
 * and where it leads. States that do not take commands are those where the input is something else (content, a TLS
 * handshake, SASL responses): the session sees no command lines in them.
 *
 * <p>{@link #TLS_HANDSHAKE} is entered by STARTTLS ({@link StartTls}); {@link #AUTH} by AUTH ({@link AuthExchange}).
 */
enum SessionState {
    /** Greeting sent; HELO/EHLO expected. */
    CONNECTED(true),
    /**
     * After STARTTLS's 220: the handshake runs; then back to {@link #CONNECTED}, since RFC 3207 4.2 makes the client
     * greet again, and anything pipelined behind STARTTLS has been discarded.
     */
    TLS_HANDSHAKE(false),
    /** HELO/EHLO done; no transaction. */
    GREETED(true),
    /** After AUTH: SASL responses are read ({@code ResponseLine}s, not commands); then back to {@link #GREETED} (RFC 4954 4). */
    AUTH(false),
    /** MAIL accepted; RCPT expected. */
    MAIL(true),
    /** At least one RCPT accepted; more RCPT or DATA expected. */
    RCPT(true),
    /** 354 sent; message content arriving. */
    DATA(false);

    private final boolean takesCommands;

    SessionState(boolean takesCommands) {
        this.takesCommands = takesCommands;
    }

    /** Whether the client's lines are SMTP commands in this state. */
    boolean takesCommands() {
        return takesCommands;
    }
}
