package dev.mta.server.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The users SMTP AUTH checks passwords against: the {@code --users} passwd-file ({@link PasswdFile}), read whole at
 * start and again by {@link #reload()} (SIGHUP). Checks run on a {@link VerifierPool}, never the caller's thread.
 * A user that does not exist is checked against a dummy hash of the same scheme and cost as the file's commonest,
 * so the time an answer takes does not tell who exists. An Argon2id hash whose memory cost is above the cap is
 * refused at load, so one line in the file cannot make each check take more heap than allowed.
 */
public final class UserStore {
    private static final Logger log = LoggerFactory.getLogger(UserStore.class);
    /** The default of {@code --auth-max-argon2-memory}: 64 MiB, Dovecot's default Argon2id cost. */
    public static final long DEFAULT_MAX_ARGON2_MEMORY_KIB = 65536;

    /** @param byLowerCase each user's name as written, by its lower case: mail finds a mailbox in any case */
    private record Table(Map<String, PasswordHash> users, PasswordHash dummy, Map<String, String> byLowerCase) {
    }

    private final Path file;
    private final long maxArgon2MemoryKiB;
    private final VerifierPool pool;
    private final AtomicLong dummyChecks = new AtomicLong();
    private volatile Table table;

    private UserStore(Path file, long maxArgon2MemoryKiB, VerifierPool pool, Table table) {
        this.file = file;
        this.maxArgon2MemoryKiB = maxArgon2MemoryKiB;
        this.pool = pool;
        this.table = table;
    }

    /**
     * Reads {@code file}; IllegalArgumentException in one line naming the file and line when it cannot serve
     * (unreadable, a bad line, an unsupported scheme, a memory cost above {@code maxArgon2MemoryKiB}).
     */
    public static UserStore open(Path file, long maxArgon2MemoryKiB, VerifierPool pool) {
        if (maxArgon2MemoryKiB < 8) {
            throw new IllegalArgumentException("auth-max-argon2-memory must be at least 8 KiB, not " + maxArgon2MemoryKiB);
        }
        return new UserStore(file, maxArgon2MemoryKiB, pool, load(file, maxArgon2MemoryKiB));
    }

    private static Table load(Path file, long maxArgon2MemoryKiB) {
        PasswdFile pf = PasswdFile.load(file);
        Map<String, PasswordHash> users = new HashMap<>();
        for (Map.Entry<String, String> e : pf.passwordFields().entrySet()) {
            String at = PasswdFile.where(file, pf.lineOf(e.getKey()));
            PasswordHash h;
            try {
                h = PasswordHash.parse(e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(at + bad.getMessage());
            }
            if (h instanceof PasswordHash.Argon2id a && a.memoryKiB() > maxArgon2MemoryKiB) {
                throw new IllegalArgumentException(at + "Argon2id memory cost m=" + a.memoryKiB()
                        + " KiB is above auth-max-argon2-memory (" + maxArgon2MemoryKiB + " KiB)");
            }
            users.put(e.getKey(), h);
        }
        return new Table(Map.copyOf(users), PasswordHash.dummyLike(commonest(users)), pf.namesByLowerCase());
    }

    /** The hash whose scheme and cost most users have (Argon2id's defaults for an empty file). */
    private static PasswordHash commonest(Map<String, PasswordHash> users) {
        if (users.isEmpty()) {
            return new PasswordHash.Argon2id(PasswordHash.Argon2id.DEFAULT_MEMORY_KIB,
                    PasswordHash.Argon2id.DEFAULT_ITERATIONS, PasswordHash.Argon2id.DEFAULT_PARALLELISM,
                    new byte[16], new byte[32]);
        }
        Map<String, PasswordHash> byCost = new HashMap<>();
        users.values().forEach(h -> byCost.putIfAbsent(h.toString(), h)); // toString is scheme and cost, no secret
        Map<String, Long> counts = users.values().stream()
                .collect(Collectors.groupingBy(PasswordHash::toString, Collectors.counting()));
        String top = counts.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow().getKey();
        return byCost.get(top);
    }

    /**
     * Reads the file again and serves it from now on; when it cannot be read or is bad, says why in one ERROR
     * line and goes on with the users it had. For SIGHUP: runs on the caller's thread and reads the disk.
     */
    public boolean reload() {
        try {
            Table t = load(file, maxArgon2MemoryKiB);
            table = t;
            log.info("users reloaded from {}: {} users", file, t.users().size());
            return true;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            log.error("users not reloaded, keeping the {} loaded before: {}", table.users().size(), e.getMessage());
            return false;
        }
    }

    /**
     * Whether {@code password} is {@code user}'s, answered on the pool; fails with
     * {@link VerifierPool.BusyException} when too many checks are under way. The password is copied, and the copy
     * cleared after the check; the caller clears its own.
     */
    public CompletableFuture<Boolean> verify(String user, char[] password) {
        Table t = table;
        PasswordHash h = t.users().get(user);
        char[] copy = password.clone();
        Function<char[], Boolean> check;
        if (h != null) {
            check = h::matches;
        } else {
            PasswordHash dummy = t.dummy();
            check = pw -> {
                dummyChecks.incrementAndGet();
                dummy.matches(pw);
                return false;
            };
        }
        CompletableFuture<Boolean> f = pool.submit(() -> {
            try {
                return check.apply(copy);
            } finally {
                Arrays.fill(copy, '\0');
            }
        });
        f.whenComplete((ok, e) -> Arrays.fill(copy, '\0')); // refused as busy: never ran
        return f;
    }

    /**
     * The user named {@code name} in any case, as the file writes it, or null: the owner of the mailbox that mail
     * to {@code name@} a local domain goes to. Logging in takes the name exactly as written.
     */
    public String mailboxOwner(String name) {
        return table.byLowerCase().get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** How many users are loaded. */
    public int size() {
        return table.users().size();
    }

    /** Checks run against the dummy hash for users that do not exist (for tests and metrics). */
    public long dummyChecks() {
        return dummyChecks.get();
    }

    public Path file() {
        return file;
    }
}
