package dev.mta.relay.transport.smtp;

import dev.mta.protocol.reply.EnhancedStatus;
import io.netty.handler.codec.smtp.SmtpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * AUTH to a smarthost (RFC 4954), PLAIN (RFC 4616) when offered, else LOGIN, only ever on a TLS connection. 235 goes
 * on; anything else, or no AUTH PLAIN/LOGIN offered, is a {@link SecurityDeferral}: the credentials are our
 * configuration, so the mail waits (4.7.x) rather than fails. Neither the user's password nor the encoded lines
 * are ever logged or put in an error text.
 */
final class SmtpAuth {
    private static final Logger log = LoggerFactory.getLogger(SmtpAuth.class);

    private SmtpAuth() {
    }

    /** Authenticates with {@code creds} (null: nothing to do). Event loop only. */
    static CompletableFuture<Void> authenticate(SmtpClientConnection c, Credentials creds) {
        if (creds == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!c.capabilities().tls()) {
            // The connector requires TLS for a route with credentials; this is the last line of defence.
            return CompletableFuture.failedFuture(deferral(4, 7, 5, "AUTH to " + c.peer() + " not attempted without TLS", null));
        }
        java.util.Set<String> offered = c.capabilities().auth();
        java.time.Duration t = c.timeouts().command();
        CompletableFuture<SmtpResponse> done;
        if (offered.contains("PLAIN")) {
            String plain = b64("\0" + creds.user() + "\0" + creds.password());
            done = c.secretLine("AUTH PLAIN " + plain, t);
        } else if (offered.contains("LOGIN")) {
            done = c.secretLine("AUTH LOGIN", t).thenComposeAsync(r -> r.code() != 334 ? CompletableFuture.completedFuture(r)
                    : c.secretLine(b64(creds.user()), t).thenComposeAsync(u -> u.code() != 334
                            ? CompletableFuture.completedFuture(u)
                            : c.secretLine(b64(creds.password()), t), c.eventLoop()), c.eventLoop());
        } else {
            log.warn("AUTH to {}: no AUTH PLAIN or LOGIN offered (offered: {}); mail for it is deferred", c.peer(), offered);
            return CompletableFuture.failedFuture(deferral(4, 7, 4, c.peer() + " offers no AUTH PLAIN or LOGIN"
                    + (offered.isEmpty() ? "" : " (only " + String.join(" ", offered) + ")") + "; not authenticated", null));
        }
        return done.thenApply(r -> {
            if (r.code() == 235) {
                c.authenticated(true);
                return null;
            }
            String reply = r.code() + " " + String.join(" ", r.details());
            log.warn("AUTH as {} to {} refused: {}; mail for it is deferred (check --relay-auth)", creds.user(), c.peer(), reply);
            throw new java.util.concurrent.CompletionException(deferral(4, 7, 8,
                    "AUTH as " + creds.user() + " to " + c.peer() + " refused: " + reply, null));
        });
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SecurityDeferral deferral(int cls, int subject, int detail, String text, Throwable cause) {
        return new SecurityDeferral(EnhancedStatus.of(cls, subject, detail), text, cause);
    }
}
