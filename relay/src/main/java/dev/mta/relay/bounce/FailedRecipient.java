package dev.mta.relay.bounce;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Outcome;

/**
 * A recipient that failed for good, with the outcome to report: the next hop's refusal, or, for a message that
 * expired ({@code expired}), the last real problem it met (null when it never got as far as an attempt).
 */
public record FailedRecipient(MailPath address, Outcome outcome, boolean expired) {
}
