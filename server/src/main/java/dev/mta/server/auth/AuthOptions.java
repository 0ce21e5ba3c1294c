package dev.mta.server.auth;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The server's AUTH options, a picocli mixin of {@code MtaMain}: {@link #openStore} runs before the server starts
 * (its IllegalArgumentException is bad configuration, exit 2), and {@link UserStore#reload()} on SIGHUP beside the
 * relay recipient table's.
 */
public final class AuthOptions {
    @Option(names = "--users", paramLabel = "FILE",
            description = "Users of SMTP AUTH, a Dovecot-style passwd-file (user:{ARGON2ID}... or {BLF-CRYPT}...); reread on SIGHUP (default: none)")
    Path users;

    @Option(names = "--auth-max-argon2-memory", paramLabel = "KIB", defaultValue = "" + dev.mta.server.config.Defaults.AUTH_MAX_ARGON2_MEMORY,
            description = "Largest Argon2id memory cost (m=) a --users line may have; a larger one refuses the file (default: ${DEFAULT-VALUE})")
    long maxArgon2MemoryKiB;

    @Option(names = "--allow-plaintext-auth",
            description = "Offer AUTH without TLS to clients not on loopback (passwords in the clear; default: only under TLS or from loopback)")
    boolean allowPlaintextAuth;

    @Option(names = "--auth-max-failures", paramLabel = "N", defaultValue = "" + dev.mta.server.config.Defaults.AUTH_MAX_FAILURES,
            description = "Failed AUTH attempts from one address within --auth-lockout before it is refused (421 4.7.0) for --auth-lockout (default: ${DEFAULT-VALUE})")
    int maxFailures;

    @Option(names = "--auth-lockout", paramLabel = "SECONDS", defaultValue = "" + dev.mta.server.config.Defaults.AUTH_LOCKOUT_SECONDS,
            description = "The window failures are counted in, and how long an address is then locked out (default: ${DEFAULT-VALUE})")
    long lockoutSeconds;

    /** Checks the values that need no file (the users file is read by {@link #openStore}); errors name the option. */
    public void check() {
        if (maxArgon2MemoryKiB < 8) {
            throw new IllegalArgumentException("auth-max-argon2-memory must be at least 8 KiB, not " + maxArgon2MemoryKiB);
        }
        if (users != null) {
            VerifierPool.threadsFor(maxArgon2MemoryKiB, Runtime.getRuntime().maxMemory()); // one check must fit
        }
        lockout();
    }

    /** The lockout these options describe; its errors name the option. */
    public Lockout lockout() {
        return new Lockout(maxFailures, java.time.Duration.ofSeconds(lockoutSeconds));
    }

    /** Whether AUTH may be offered on a connection without TLS from a client not on loopback. */
    public boolean allowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    /** The user store these options name, on {@code pool}; null without --users. */
    public UserStore openStore(VerifierPool pool) {
        return users == null ? null : UserStore.open(users, maxArgon2MemoryKiB, pool);
    }

    /** The user store these options name, on a pool sized to fit this JVM's heap; null without --users. */
    public UserStore openStore() {
        return users == null ? null
                : openStore(VerifierPool.forHeap(maxArgon2MemoryKiB, Runtime.getRuntime().maxMemory()));
    }

    public Path users() {
        return users;
    }

    public long maxArgon2MemoryKiB() {
        return maxArgon2MemoryKiB;
    }
}
