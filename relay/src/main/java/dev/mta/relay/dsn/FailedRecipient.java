package dev.mta.relay.dsn;

/** A recipient that failed for good, with the reason to report. */
public record FailedRecipient(String address, String diagnostic, String remoteMta) {
}
