package dev.mta.protocol.command;

import dev.mta.protocol.reply.SmtpReply;

/**
 * One parsed command line. When the grammar alone decides the answer (a syntax error, an obsolete or
 * unimplemented command) {@link #rejection()} holds that reply and the session sends it as it is.
 */
public final class SmtpCommand {
    private final SmtpVerb verb;
    private final String argument;
    private final MailPath path;
    private final EsmtpParameters parameters;
    private final MailParameters mailParameters;
    private final SmtpReply rejection;

    SmtpCommand(SmtpVerb verb, String argument, MailPath path, EsmtpParameters parameters,
                MailParameters mailParameters, SmtpReply rejection) {
        this.verb = verb;
        this.argument = argument;
        this.path = path;
        this.parameters = parameters;
        this.mailParameters = mailParameters;
        this.rejection = rejection;
    }

    /** A command the grammar alone answers with {@code reply}. */
    public static SmtpCommand rejected(SmtpVerb verb, SmtpReply reply) {
        return new SmtpCommand(verb, "", null, EsmtpParameters.NONE, null, reply);
    }

    public SmtpVerb verb() {
        return verb;
    }

    /** The text after the command word: the HELO/EHLO domain, the VRFY/HELP/NOOP argument, or "" . */
    public String argument() {
        return argument;
    }

    /** The reverse-path of MAIL or the forward-path of RCPT; null for other commands. */
    public MailPath path() {
        return path;
    }

    /** The raw ESMTP parameters of MAIL or RCPT. */
    public EsmtpParameters parameters() {
        return parameters;
    }

    /** The interpreted MAIL parameters; null for other commands. */
    public MailParameters mailParameters() {
        return mailParameters;
    }

    /** The reply decided by the grammar alone, or null when the command is well-formed. */
    public SmtpReply rejection() {
        return rejection;
    }

    public boolean isRejected() {
        return rejection != null;
    }

    @Override
    public String toString() {
        return verb + (argument.isEmpty() ? "" : " " + argument) + (rejection != null ? " => " + rejection : "");
    }
}
