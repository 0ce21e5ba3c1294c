package dev.mta.protocol.reply;

/** The fixed replies an SMTP server sends, each with its enhanced status code. */
public final class Replies {
    private Replies() {
    }

    public static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok");
    public static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Sender ok");
    public static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, "2.1.5", "Recipient ok");
    public static final SmtpReply RESET_OK = SmtpReply.of(250, "2.0.0", "Reset ok");
    public static final SmtpReply NOOP_OK = SmtpReply.of(250, "2.0.0", "Ok");
    public static final SmtpReply START_DATA = SmtpReply.of(354, (EnhancedStatus) null, "End data with <CR><LF>.<CR><LF>");
    public static final SmtpReply BYE = SmtpReply.of(221, "2.0.0", "Bye");
    public static final SmtpReply CANNOT_VRFY = SmtpReply.of(252, "2.5.0",
            "Cannot VRFY user, but will accept message and attempt delivery");
    public static final SmtpReply EXPN_DISABLED = SmtpReply.of(502, "5.5.1", "EXPN not available");

    // Order of commands (RFC 5321 4.1.4).
    public static final SmtpReply SEND_HELO_FIRST = SmtpReply.of(503, "5.5.1", "Error: send HELO/EHLO first");
    public static final SmtpReply NESTED_MAIL = SmtpReply.of(503, "5.5.1", "Error: nested MAIL command");
    public static final SmtpReply NEED_MAIL = SmtpReply.of(503, "5.5.1", "Error: need MAIL command");
    public static final SmtpReply NEED_RCPT = SmtpReply.of(503, "5.5.1", "Error: need RCPT command");

    // Syntax.
    /** An HTTP request line on the SMTP port: refused and the connection closed (a browser made to talk SMTP). */
    public static final SmtpReply HTTP_REQUEST = SmtpReply.of(554, "5.7.0",
            "Error: HTTP request to an SMTP server, closing connection");
    public static final SmtpReply UNRECOGNIZED = SmtpReply.of(500, "5.5.2", "Error: command not recognized");
    public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.6", "Error: line too long");
    public static final SmtpReply BARE_LF_IN_COMMAND = SmtpReply.of(500, "5.5.2",
            "Error: bare <LF> received; lines must end with <CR><LF>");
    public static final SmtpReply CONTROL_CHARACTERS = SmtpReply.of(500, "5.5.2", "Error: control characters in command");
    public static final SmtpReply INVALID_UTF8 = SmtpReply.of(500, "5.5.2", "Error: command is not valid UTF-8");
    public static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, "5.5.1", "Error: command not implemented");
    public static final SmtpReply OBSOLETE = SmtpReply.of(502, "5.5.1", "Error: obsolete command not implemented");

    // Message content.
    public static final SmtpReply BARE_LINE_ENDING_IN_DATA = SmtpReply.of(550, "5.5.2",
            "Error: bare <CR> or <LF> in message; lines must end with <CR><LF>");
    public static final SmtpReply MESSAGE_TOO_BIG = SmtpReply.of(552, "5.3.4", "Error: message size exceeds fixed limit");
    public static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Error: too many recipients");
    public static final SmtpReply NON_ASCII_WITHOUT_SMTPUTF8 = SmtpReply.of(553, "5.6.7",
            "Error: non-ASCII address requires SMTPUTF8");

    // Local trouble: temporary, so the client keeps the message and tries again.
    public static final SmtpReply STORAGE_FULL = SmtpReply.of(452, "4.3.1", "Error: insufficient system storage");
    public static final SmtpReply LOCAL_ERROR = SmtpReply.of(451, "4.3.0", "Error: local error in processing");
    public static final SmtpReply TOO_MANY_ERRORS = SmtpReply.of(421, "4.7.0", "Error: too many errors, closing connection");
}
