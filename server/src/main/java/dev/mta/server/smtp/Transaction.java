package dev.mta.server.smtp;

import dev.mta.protocol.command.MailParameters;
import dev.mta.protocol.command.MailPath;

import java.util.ArrayList;
import java.util.List;

/** One mail transaction: the MAIL command's sender and parameters and the accepted recipients. */
final class Transaction {
    final MailPath sender;
    final String rawParameters;
    final MailParameters parameters;
    final List<String> recipients = new ArrayList<>();

    Transaction(MailPath sender, String rawParameters, MailParameters parameters) {
        this.sender = sender;
        this.rawParameters = rawParameters;
        this.parameters = parameters;
    }
}
