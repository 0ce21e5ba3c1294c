package dev.mta.server.policy;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;

import java.util.List;

/** A mail transaction as far as it has gone: the MAIL command and the recipients accepted so far. A live view. */
public interface TransactionFacts {
    /** The reverse-path of MAIL ({@link MailPath#NULL} for bounces). */
    MailPath sender();

    /** The interpreted MAIL parameters. */
    MailParameters parameters();

    /** The distinct recipients accepted so far, in order, as addresses. */
    List<String> recipients();

    /** RCPT commands accepted so far, repeats of one recipient included. */
    int acceptedRecipients();
}
