package dev.mta.server.smtp;

/** Where a session is in the RFC 5321 command sequence. */
enum SessionState {
    /** Greeting sent; HELO/EHLO expected. */
    CONNECTED,
    /** HELO/EHLO done; no transaction. */
    GREETED,
    /** MAIL accepted; RCPT expected. */
    MAIL,
    /** At least one RCPT accepted; more RCPT or DATA expected. */
    RCPT,
    /** 354 sent; message content arriving. */
    DATA
}
