package dev.mta.server.auth;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One password check as every login of this server makes it (SMTP AUTH, POP3 USER/PASS and AUTH): counted per client
 * address in the shared {@link AuthFailures} (a check that would pass the limit does not run), the password checked on
 * the {@link UserStore}'s pool, never the caller's thread, and a wrong password answered only after a delay scheduled
 * on the caller's event loop: guessing costs the guesser time, not us a thread.
 */
public final class PasswordCheck {
    /** The delay before a wrong password is answered, by default. */
    public static final long DEFAULT_FAILURE_DELAY_MILLIS = 1000;

    /** How a check ended. */
    public enum Result {
        /** The password is the user's. */
        ACCEPTED,
        /** Wrong user or password (answered after the delay). */
        REJECTED,
        /** Wrong, and that failure locked the client's address out (answered after the delay). */
        LOCKED_OUT,
        /** Not run: the address's failures and checks under way reach the limit, or it is locked out (at once). */
        THROTTLED,
        /** Could not run: the pool is busy or the check failed ({@link Outcome#cause()}). */
        UNAVAILABLE
    }

    /** A check's result, and for {@link Result#UNAVAILABLE} why (null when the pool was only busy). */
    public record Outcome(Result result, Throwable cause) {
    }

    private static final Outcome THROTTLED = new Outcome(Result.THROTTLED, null);

    private final UserStore users;
    private final AuthFailures failures;
    private final long failureDelayMillis;

    public PasswordCheck(UserStore users, AuthFailures failures, long failureDelayMillis) {
        this.users = users;
        this.failures = failures;
        this.failureDelayMillis = failureDelayMillis;
    }

    /**
     * Checks {@code password} as {@code user}'s for a client at {@code client} (a null user or password fails as a
     * wrong one would). The password is cleared here. The future completes on the pool or on {@code loop}; a
     * {@link Result#THROTTLED} one is complete on return.
     */
    public CompletableFuture<Outcome> check(InetAddress client, String user, char[] password,
                                            ScheduledExecutorService loop) {
        if (!failures.tryBegin(client)) {
            clear(password);
            return CompletableFuture.completedFuture(THROTTLED);
        }
        CompletableFuture<Boolean> check;
        if (user == null || password == null) {
            check = CompletableFuture.completedFuture(false);
        } else {
            try {
                check = users.verify(user, password);
            } catch (RuntimeException e) {
                check = CompletableFuture.failedFuture(e);
            } finally {
                clear(password);
            }
        }
        CompletableFuture<Outcome> later = new CompletableFuture<>();
        // The failure table hears of the end of every check begun here, whether or not anyone still waits for it.
        check.whenComplete((ok, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null && Boolean.TRUE.equals(ok)) {
                failures.ended(client);
                later.complete(new Outcome(Result.ACCEPTED, null));
            } else if (cause != null) {
                failures.ended(client);
                later.complete(new Outcome(Result.UNAVAILABLE,
                        cause instanceof VerifierPool.BusyException ? null : cause));
            } else {
                Outcome failed = new Outcome(failures.failed(client) ? Result.LOCKED_OUT : Result.REJECTED, null);
                loop.schedule(() -> later.complete(failed), failureDelayMillis, TimeUnit.MILLISECONDS);
            }
        });
        return later;
    }

    private static void clear(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
