package dev.mta.server.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.util.Arrays;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stored password hash in Dovecot's encoding: {@code {ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>}
 * (a PHC string, unpadded standard base64) or {@code {BLF-CRYPT}$2y$05$...} (OpenBSD bcrypt). The hashing is
 * BouncyCastle's; comparison is in constant time. Passwords are hashed as their UTF-8 bytes, as Dovecot does.
 */
public sealed interface PasswordHash permits PasswordHash.Argon2id, PasswordHash.BlfCrypt {

    /** The scheme names, as written between braces. */
    String ARGON2ID = "ARGON2ID";
    String BLF_CRYPT = "BLF-CRYPT";

    /** True when {@code password} hashes to this; takes the full cost of the scheme whatever the answer. */
    boolean matches(char[] password);

    /** The field as it is written in the file, scheme prefix included. */
    String encoded();

    /** Parses a stored field ({@code {SCHEME}...}); IllegalArgumentException saying what is wrong. */
    static PasswordHash parse(String field) {
        int close = field.indexOf('}');
        if (!field.startsWith("{") || close < 0) {
            throw new IllegalArgumentException("password has no {SCHEME} prefix");
        }
        String scheme = field.substring(1, close).toUpperCase(Locale.ROOT);
        String rest = field.substring(close + 1);
        return switch (scheme) {
            case ARGON2ID -> Argon2id.parse(rest);
            case BLF_CRYPT -> BlfCrypt.parse(rest);
            default -> throw new IllegalArgumentException("unsupported password scheme {" + scheme
                    + "} (ARGON2ID and BLF-CRYPT are)");
        };
    }

    /** A new hash of {@code password} in {@code scheme} with its default cost and a fresh random salt. */
    static PasswordHash create(String scheme, char[] password) {
        return switch (scheme.toUpperCase(Locale.ROOT)) {
            case ARGON2ID -> Argon2id.create(password, Argon2id.DEFAULT_MEMORY_KIB, Argon2id.DEFAULT_ITERATIONS,
                    Argon2id.DEFAULT_PARALLELISM);
            case BLF_CRYPT -> BlfCrypt.create(password, BlfCrypt.DEFAULT_COST);
            default -> throw new IllegalArgumentException("unsupported password scheme " + scheme
                    + " (ARGON2ID and BLF-CRYPT are)");
        };
    }

    /** A hash with the same scheme and cost as {@code like} that no password is known to match: for unknown users. */
    static PasswordHash dummyLike(PasswordHash like) {
        char[] random = randomPassword();
        if (like instanceof Argon2id a) {
            // No need to compute it: random bytes of the right length cost the same to check against.
            return new Argon2id(a.memoryKiB, a.iterations, a.parallelism, randomBytes(a.salt.length),
                    randomBytes(a.hash.length));
        }
        return BlfCrypt.create(random, ((BlfCrypt) like).cost());
    }

    private static char[] randomPassword() {
        return Base64.getEncoder().encodeToString(randomBytes(24)).toCharArray();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        Holder.RANDOM.nextBytes(b);
        return b;
    }

    /** The password's UTF-8 bytes, without a String copy; the caller clears them. */
    private static byte[] utf8(char[] password) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        if (bb.hasArray()) {
            java.util.Arrays.fill(bb.array(), (byte) 0);
        }
        return out;
    }

    /** Argon2id, version 19 (0x13), as Dovecot writes it. Memory in KiB, as {@code m=} is. */
    record Argon2id(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) implements PasswordHash {
        public static final int DEFAULT_MEMORY_KIB = 65536;
        public static final int DEFAULT_ITERATIONS = 3;
        public static final int DEFAULT_PARALLELISM = 1;
        private static final Pattern PHC = Pattern.compile(
                "\\$argon2id\\$v=19\\$m=(\\d{1,9}),t=(\\d{1,9}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
        private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

        static Argon2id parse(String phc) {
            Matcher m = PHC.matcher(phc);
            if (!m.matches()) {
                throw new IllegalArgumentException("not an Argon2id hash of version 19 ($argon2id$v=19$m=...,t=...,p=...$salt$hash)");
            }
            int mem = Integer.parseInt(m.group(1));
            int t = Integer.parseInt(m.group(2));
            int p = Integer.parseInt(m.group(3));
            byte[] salt;
            byte[] hash;
            try {
                salt = Base64.getDecoder().decode(m.group(4));
                hash = Base64.getDecoder().decode(m.group(5));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Argon2id salt or hash is not base64");
            }
            if (t < 1 || p < 1 || mem < 8 * p || salt.length < 8 || hash.length < 4) {
                throw new IllegalArgumentException("Argon2id parameters out of range (t>=1, p>=1, m>=8p, salt>=8, hash>=4 bytes)");
            }
            return new Argon2id(mem, t, p, salt, hash);
        }

        static Argon2id create(char[] password, int memoryKiB, int iterations, int parallelism) {
            byte[] salt = randomBytes(16);
            return new Argon2id(memoryKiB, iterations, parallelism, salt,
                    derive(password, memoryKiB, iterations, parallelism, salt, 32));
        }

        private static byte[] derive(char[] password, int memoryKiB, int iterations, int parallelism, byte[] salt, int length) {
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(memoryKiB).withIterations(iterations).withParallelism(parallelism)
                    .withSalt(salt).build());
            byte[] pw = utf8(password);
            byte[] out = new byte[length];
            try {
                gen.generateBytes(pw, out);
            } finally {
                java.util.Arrays.fill(pw, (byte) 0);
            }
            return out;
        }

        @Override
        public boolean matches(char[] password) {
            byte[] computed = derive(password, memoryKiB, iterations, parallelism, salt, hash.length);
            return Arrays.constantTimeAreEqual(computed, hash);
        }

        @Override
        public String encoded() {
            return "{" + ARGON2ID + "}$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                    + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        }

        @Override
        public String toString() { // never the hash itself in a log line
            return "Argon2id(m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + ")";
        }
    }

    /** OpenBSD bcrypt ({@code $2y$}, also {@code $2a$} and {@code $2b$}), as Dovecot's BLF-CRYPT. */
    record BlfCrypt(String crypt) implements PasswordHash {
        public static final int DEFAULT_COST = 5;
        private static final Pattern CRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

        static BlfCrypt parse(String crypt) {
            Matcher m = CRYPT.matcher(crypt);
            int cost = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("not a bcrypt hash ($2y$NN$ and 53 characters, cost 04 to 31)");
            }
            return new BlfCrypt(crypt);
        }

        static BlfCrypt create(char[] password, int cost) {
            return new BlfCrypt(OpenBSDBCrypt.generate("2y", password, randomBytes(16), cost));
        }

        int cost() {
            return Integer.parseInt(crypt.substring(4, 6));
        }

        @Override
        public boolean matches(char[] password) {
            // BouncyCastle hashes the password's UTF-8 bytes and compares the whole string in constant time.
            return OpenBSDBCrypt.checkPassword(crypt, password);
        }

        @Override
        public String encoded() {
            return "{" + BLF_CRYPT + "}" + crypt;
        }

        @Override
        public String toString() {
            return "BlfCrypt(cost=" + cost() + ")";
        }
    }

    /** Lazily created, so that loading the interface costs no entropy. */
    final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();

        private Holder() {
        }
    }
}
