package dev.mta.server.auth;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The server's AUTH options, a picocli mixin ready for {@code MtaMain} once SMTP AUTH is offered (not mixed in
 * yet: nothing in a session checks passwords before STARTTLS lands). To hook it in: {@code @Mixin AuthOptions auth
 * = new AuthOptions();} in MtaMain, {@code Defaults.AUTH_MAX_ARGON2_MEMORY = UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB}
 * and its line in MtaMainTest's table of defaults, {@link #openStore} before the server starts (its
 * IllegalArgumentException is bad configuration, exit 2), and {@link UserStore#reload()} in the SIGHUP handler
 * beside the relay recipient table's.
 */
public final class AuthOptions {
    @Option(names = "--users", paramLabel = "FILE",
            description = "Users of SMTP AUTH, a Dovecot-style passwd-file (user:{ARGON2ID}... or {BLF-CRYPT}...); reread on SIGHUP (default: none)")
    Path users;

    @Option(names = "--auth-max-argon2-memory", paramLabel = "KIB", defaultValue = "" + UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB,
            description = "Largest Argon2id memory cost (m=) a --users line may have; a larger one refuses the file (default: ${DEFAULT-VALUE})")
    long maxArgon2MemoryKiB;

    /** The user store these options name, on {@code pool}; null without --users. */
    public UserStore openStore(VerifierPool pool) {
        return users == null ? null : UserStore.open(users, maxArgon2MemoryKiB, pool);
    }

    public Path users() {
        return users;
    }

    public long maxArgon2MemoryKiB() {
        return maxArgon2MemoryKiB;
    }
}
