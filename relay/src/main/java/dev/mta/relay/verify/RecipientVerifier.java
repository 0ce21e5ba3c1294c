package dev.mta.relay.verify;

import dev.mta.protocol.command.MailPath;

import java.util.concurrent.CompletableFuture;

/** Asks whether a recipient exists before its mail is taken. Never blocks; the future never fails. */
public interface RecipientVerifier {
    /** The answer for {@code recipient}; completes on some event loop, or at once from a cache. */
    CompletableFuture<Verification> verify(MailPath recipient);
}
