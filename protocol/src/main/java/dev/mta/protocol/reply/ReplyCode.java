package dev.mta.protocol.reply;

/** Every reply code of RFC 5321 section 4.2.3 with its meaning and default enhanced status (RFC 3463). */
public enum ReplyCode {
    SYSTEM_STATUS(211, "System status, or system help reply", "2.0.0"),
    HELP_MESSAGE(214, "Help message", "2.0.0"),
    SERVICE_READY(220, "Service ready", null),
    SERVICE_CLOSING(221, "Service closing transmission channel", "2.0.0"),
    OK(250, "Requested mail action okay, completed", "2.0.0"),
    USER_NOT_LOCAL_WILL_FORWARD(251, "User not local; will forward", "2.1.5"),
    CANNOT_VERIFY(252, "Cannot VRFY user, but will accept message and attempt delivery", "2.5.0"),
    START_MAIL_INPUT(354, "Start mail input; end with <CRLF>.<CRLF>", null),
    SERVICE_NOT_AVAILABLE(421, "Service not available, closing transmission channel", "4.3.2"),
    MAILBOX_BUSY(450, "Requested mail action not taken: mailbox unavailable", "4.2.0"),
    LOCAL_ERROR(451, "Requested action aborted: local error in processing", "4.3.0"),
    INSUFFICIENT_STORAGE(452, "Requested action not taken: insufficient system storage", "4.3.1"),
    CANNOT_ACCOMMODATE_PARAMETERS(455, "Server unable to accommodate parameters", "4.5.4"),
    SYNTAX_ERROR(500, "Syntax error, command unrecognized", "5.5.2"),
    PARAMETER_SYNTAX_ERROR(501, "Syntax error in parameters or arguments", "5.5.4"),
    COMMAND_NOT_IMPLEMENTED(502, "Command not implemented", "5.5.1"),
    BAD_SEQUENCE(503, "Bad sequence of commands", "5.5.1"),
    PARAMETER_NOT_IMPLEMENTED(504, "Command parameter not implemented", "5.5.4"),
    MAILBOX_UNAVAILABLE(550, "Requested action not taken: mailbox unavailable", "5.1.1"),
    USER_NOT_LOCAL(551, "User not local; please try <forward-path>", "5.1.6"),
    EXCEEDED_STORAGE(552, "Requested mail action aborted: exceeded storage allocation", "5.3.4"),
    MAILBOX_NAME_NOT_ALLOWED(553, "Requested action not taken: mailbox name not allowed", "5.1.3"),
    TRANSACTION_FAILED(554, "Transaction failed", "5.0.0"),
    PARAMETERS_NOT_RECOGNIZED(555, "MAIL FROM/RCPT TO parameters not recognized or not implemented", "5.5.4");

    private final int code;
    private final String meaning;
    private final EnhancedStatus defaultStatus;

    ReplyCode(int code, String meaning, String defaultStatus) {
        this.code = code;
        this.meaning = meaning;
        this.defaultStatus = defaultStatus == null ? null : EnhancedStatus.parse(defaultStatus);
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The enhanced status this code carries when nothing more specific applies; null for 220 and 354. */
    public EnhancedStatus defaultStatus() {
        return defaultStatus;
    }

    /** Looks a numeric code up; null when RFC 5321 does not define it. */
    public static ReplyCode of(int code) {
        for (ReplyCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
