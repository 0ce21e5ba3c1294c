package dev.mta.protocol.command;

/** The command words this server knows, including the obsolete and the unimplemented ones. */
public enum SmtpVerb {
    HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, EXPN, HELP,
    /** Obsolete RFC 821 commands, answered with 502. */
    TURN, SEND, SOML, SAML,
    /** Known extensions this server does not offer (yet), answered with 502. */
    STARTTLS, AUTH, BDAT, ETRN, ATRN,
    /**
     * An HTTP method (GET, POST, CONNECT...) sent to an SMTP port: a web page or a proxy abusing a browser to talk
     * SMTP (the cross-protocol attack Postfix's smtpd_forbidden_commands stops); the session ends at once.
     */
    HTTP_METHOD,
    /** Anything else. */
    UNKNOWN;

    /** Whether the word is an RFC 821 command RFC 5321 made obsolete. */
    public boolean isObsolete() {
        return this == TURN || this == SEND || this == SOML || this == SAML;
    }

    /** Finds the verb for a command word, ignoring case; UNKNOWN when there is none. */
    public static SmtpVerb lookup(CharSequence word) {
        if (word.length() < 3 || word.length() > 8) {
            return UNKNOWN;
        }
        switch (word.toString().toUpperCase(java.util.Locale.ROOT)) {
            case "GET":
            case "POST":
            case "PUT":
            case "HEAD":
            case "CONNECT":
            case "OPTIONS":
            case "DELETE":
            case "PATCH":
            case "TRACE":
                return HTTP_METHOD;
            case "HELO": return HELO;
            case "EHLO": return EHLO;
            case "MAIL": return MAIL;
            case "RCPT": return RCPT;
            case "DATA": return DATA;
            case "RSET": return RSET;
            case "NOOP": return NOOP;
            case "QUIT": return QUIT;
            case "VRFY": return VRFY;
            case "EXPN": return EXPN;
            case "HELP": return HELP;
            case "TURN": return TURN;
            case "SEND": return SEND;
            case "SOML": return SOML;
            case "SAML": return SAML;
            case "STARTTLS": return STARTTLS;
            case "AUTH": return AUTH;
            case "BDAT": return BDAT;
            case "ETRN": return ETRN;
            case "ATRN": return ATRN;
            default: return UNKNOWN;
        }
    }
}
