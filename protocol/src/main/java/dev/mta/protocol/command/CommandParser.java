package dev.mta.protocol.command;

import dev.mta.protocol.reply.Replies;
import dev.mta.protocol.reply.SmtpReply;

/** Turns one command line (without its CRLF) into an {@link SmtpCommand}; a pure function. */
public final class CommandParser {
    private static final SmtpReply HELO_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: HELO hostname");
    private static final SmtpReply EHLO_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: EHLO hostname");
    private static final SmtpReply MAIL_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    private static final SmtpReply RCPT_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: RCPT TO:<address>");
    private static final SmtpReply VRFY_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: VRFY address");
    private static final SmtpReply EXPN_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: EXPN mailing-list");
    private static final SmtpReply STARTTLS_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: STARTTLS (no parameters)");
    private static final SmtpReply AUTH_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    private static final SmtpReply RCPT_PARAMETERS = SmtpReply.of(555, "5.5.4",
            "Error: RCPT TO parameters not recognized or not implemented");

    private CommandParser() {
    }

    /** Parses a command line whose CRLF has been taken off. */
    public static SmtpCommand parse(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 32 || c == 127) {
                return SmtpCommand.rejected(SmtpVerb.UNKNOWN, Replies.CONTROL_CHARACTERS);
            }
        }
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String arg = space < 0 ? "" : line.substring(space + 1);
        SmtpVerb verb = SmtpVerb.lookup(word);
        switch (verb) {
            case HELO:
                return hello(verb, arg, HELO_SYNTAX);
            case EHLO:
                return hello(verb, arg, EHLO_SYNTAX);
            case MAIL:
                return mail(arg);
            case RCPT:
                return rcpt(arg);
            case DATA:
            case RSET:
            case QUIT:
                return arg.isBlank() ? plain(verb, "")
                        : SmtpCommand.rejected(verb, SmtpReply.of(501, "5.5.4", "Syntax: " + verb + " (no arguments)"));
            case NOOP:
            case HELP:
                return plain(verb, arg.strip());
            case VRFY:
                return arg.isBlank() ? SmtpCommand.rejected(verb, VRFY_SYNTAX) : plain(verb, arg.strip());
            case EXPN:
                return arg.isBlank() ? SmtpCommand.rejected(verb, EXPN_SYNTAX) : plain(verb, arg.strip());
            case TURN:
            case SEND:
            case SOML:
            case SAML:
                return SmtpCommand.rejected(verb, Replies.OBSOLETE);
            case STARTTLS:
                // RFC 3207 4: no parameters; whether TLS is offered at all is the server's to say.
                return arg.isEmpty() ? plain(verb, "") : SmtpCommand.rejected(verb, STARTTLS_SYNTAX);
            case AUTH:
                // RFC 4954 4: AUTH mechanism [initial-response]; whether it is offered is the server's to say.
                return arg.isBlank() ? SmtpCommand.rejected(verb, AUTH_SYNTAX) : plain(verb, arg.strip());
            case BDAT:
            case ETRN:
            case ATRN:
                return SmtpCommand.rejected(verb, Replies.NOT_IMPLEMENTED);
            case HTTP_METHOD:
                return SmtpCommand.rejected(verb, Replies.HTTP_REQUEST);
            default:
                return SmtpCommand.rejected(SmtpVerb.UNKNOWN, Replies.UNRECOGNIZED);
        }
    }

    private static SmtpCommand plain(SmtpVerb verb, String arg) {
        return new SmtpCommand(verb, arg, null, EsmtpParameters.NONE, null, null);
    }

    // HELO/EHLO take a domain or address literal; like deployed servers we take any single token after it.
    private static SmtpCommand hello(SmtpVerb verb, String arg, SmtpReply syntax) {
        String stripped = arg.strip();
        if (stripped.isEmpty()) {
            return SmtpCommand.rejected(verb, syntax);
        }
        int sp = stripped.indexOf(' ');
        return plain(verb, sp < 0 ? stripped : stripped.substring(0, sp));
    }

    private static SmtpCommand mail(String arg) {
        int at = afterPrefix(arg, "FROM:");
        if (at < 0 || at >= arg.length()) {
            return SmtpCommand.rejected(SmtpVerb.MAIL, MAIL_SYNTAX);
        }
        PathParser.Result r;
        try {
            r = PathParser.parse(arg, at, true, false);
            checkSeparator(arg, r.end());
        } catch (PathSyntaxException e) {
            return SmtpCommand.rejected(SmtpVerb.MAIL, SmtpReply.of(501, "5.1.7",
                    (e.isTooLong() ? "Error: path too long: " : "Error: bad sender address syntax: ") + e.getMessage()));
        }
        try {
            EsmtpParameters params = parameters(arg, r.end());
            MailParameters mp = MailParameterRules.interpret(params);
            if (r.path().isUtf8() && !mp.smtputf8()) {
                return SmtpCommand.rejected(SmtpVerb.MAIL, Replies.NON_ASCII_WITHOUT_SMTPUTF8);
            }
            return new SmtpCommand(SmtpVerb.MAIL, arg, r.path(), params, mp, null);
        } catch (PathSyntaxException e) {
            return SmtpCommand.rejected(SmtpVerb.MAIL, SmtpReply.of(501, "5.5.4", "Error: " + e.getMessage()));
        } catch (MailParameterRules.Rejection e) {
            return SmtpCommand.rejected(SmtpVerb.MAIL, e.reply());
        }
    }

    private static SmtpCommand rcpt(String arg) {
        int at = afterPrefix(arg, "TO:");
        if (at < 0 || at >= arg.length()) {
            return SmtpCommand.rejected(SmtpVerb.RCPT, RCPT_SYNTAX);
        }
        PathParser.Result r;
        try {
            r = PathParser.parse(arg, at, false, true);
            checkSeparator(arg, r.end());
        } catch (PathSyntaxException e) {
            return SmtpCommand.rejected(SmtpVerb.RCPT, SmtpReply.of(501, "5.1.3",
                    (e.isTooLong() ? "Error: path too long: " : "Error: bad recipient address syntax: ") + e.getMessage()));
        }
        try {
            EsmtpParameters params = parameters(arg, r.end());
            if (!params.isEmpty()) {
                return SmtpCommand.rejected(SmtpVerb.RCPT, RCPT_PARAMETERS);
            }
            return new SmtpCommand(SmtpVerb.RCPT, arg, r.path(), params, null, null);
        } catch (PathSyntaxException e) {
            return SmtpCommand.rejected(SmtpVerb.RCPT, SmtpReply.of(501, "5.5.4", "Error: " + e.getMessage()));
        }
    }

    /** Index after "FROM:"/"TO:" (any case) and any spaces real clients put after the colon; -1 without it. */
    private static int afterPrefix(String arg, String prefix) {
        if (!arg.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return -1;
        }
        int i = prefix.length();
        while (i < arg.length() && arg.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** After the path comes the end of the line or a space before the parameters. */
    private static void checkSeparator(String arg, int end) throws PathSyntaxException {
        if (end < arg.length() && arg.charAt(end) != ' ') {
            throw new PathSyntaxException("unexpected text after path");
        }
    }

    private static EsmtpParameters parameters(String arg, int end) throws PathSyntaxException {
        return end == arg.length() ? EsmtpParameters.NONE : EsmtpParameters.parse(arg.substring(end + 1));
    }
}
