package dev.mta.server.auth;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code mta user add|passwd|delete NAME --users FILE [--scheme ARGON2ID|BLF-CRYPT]}: maintains the passwd-file
 * SMTP AUTH reads. The password comes from standard input (one line) when that is not a terminal, else it is asked
 * for twice without echo. The file is replaced atomically ({@link AtomicFile}); its other lines and comments are
 * kept. Exit status: 0 done, 1 refused (user exists or is missing, passwords differ, unreadable file), 2 bad usage.
 * The running MTA sees the change on SIGHUP.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Maintain the --users file of SMTP AUTH: add, passwd, delete a user",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Delete.class})
public final class UserCommand implements Callable<Integer> {
    static final int REFUSED = 1;
    static final int USAGE = 2;
    /** Longest password read from standard input, in characters. */
    static final int MAX_PASSWORD = 1024;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("mta: user needs a subcommand: add, passwd or delete (see mta user --help)");
        return USAGE;
    }

    /** What every subcommand takes: the user and the file. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "NAME", description = "User name, as the client gives it to AUTH")
        String name;

        @Option(names = "--users", paramLabel = "FILE", required = true,
                description = "The passwd-file (user:{SCHEME}hash a line); created 0600 if missing")
        Path users;
    }

    /** A refusal: one line, exit status 1. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The steps every subcommand shares: check the name, read the file, change it, write it back. */
    abstract static class Edit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target = new Target();

        /** Changes {@code file}; throws {@link Refused} when it cannot. */
        abstract void apply(PasswdFile file);

        boolean missingIsEmpty() {
            return false;
        }

        @Override
        public Integer call() {
            String problem = PasswdFile.nameProblem(target.name);
            if (problem != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), problem + ": " + target.name);
            }
            try {
                PasswdFile file = PasswdFile.read(target.users, missingIsEmpty());
                apply(file);
                AtomicFile.replace(target.users, file.text());
                return 0;
            } catch (Refused | IllegalArgumentException e) {
                spec.commandLine().getErr().println("mta: " + e.getMessage());
                return REFUSED;
            } catch (IOException e) {
                spec.commandLine().getErr().println("mta: " + target.users + ": " + e);
                return REFUSED;
            }
        }

        /** The new password field for the user, in {@code scheme}. */
        String hash(String scheme) {
            char[] password = readPassword(spec.commandLine().getErr(), System.in);
            try {
                return PasswordHash.create(scheme, password).encoded();
            } finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Scheme option of add and passwd. */
    static final class SchemeOption {
        @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = PasswordHash.ARGON2ID,
                description = "ARGON2ID (m=65536,t=3,p=1) or BLF-CRYPT (cost 5) (default: ${DEFAULT-VALUE})")
        String scheme;

        String checked(CommandSpec spec) {
            String s = scheme.toUpperCase(Locale.ROOT);
            if (!s.equals(PasswordHash.ARGON2ID) && !s.equals(PasswordHash.BLF_CRYPT)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "scheme must be ARGON2ID or BLF-CRYPT, not " + scheme);
            }
            return s;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user; refused if it exists")
    static final class Add extends Edit {
        @Mixin
        SchemeOption scheme = new SchemeOption();

        @Override
        boolean missingIsEmpty() {
            return true;
        }

        @Override
        void apply(PasswdFile file) {
            String s = scheme.checked(spec);
            if (file.contains(target.name)) {
                throw new Refused("user " + target.name + " already exists in " + file.path());
            }
            String other = file.sameNameInOtherCase(target.name);
            if (other != null) {
                throw new Refused("user " + other + " already exists in " + file.path()
                        + " (names match in any case: mail for one would go to the other)");
            }
            file.add(target.name, hash(s));
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set a user's password; refused if the user is missing")
    static final class Passwd extends Edit {
        @Mixin
        SchemeOption scheme = new SchemeOption();

        @Override
        void apply(PasswdFile file) {
            String s = scheme.checked(spec);
            if (!file.contains(target.name)) {
                throw new Refused("no user " + target.name + " in " + file.path());
            }
            file.setPassword(target.name, hash(s));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user; refused if the user is missing")
    static final class Delete extends Edit {
        @Override
        void apply(PasswdFile file) {
            if (!file.contains(target.name)) {
                throw new Refused("no user " + target.name + " in " + file.path());
            }
            file.delete(target.name);
        }
    }

    /**
     * The new password: asked for twice without echo on a terminal, else one line of {@code in} (UTF-8, without
     * its CR LF). Refused when empty, too long, or the two differ.
     */
    static char[] readPassword(java.io.PrintWriter err, InputStream in) {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("New password: ");
            char[] again = first == null ? null : console.readPassword("Again: ");
            try {
                if (first == null || again == null) {
                    throw new Refused("no password given");
                }
                if (!Arrays.equals(first, again)) {
                    throw new Refused("the passwords differ");
                }
                return checked(first.clone());
            } finally {
                if (first != null) {
                    Arrays.fill(first, '\0');
                }
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
            }
        }
        char[] buf = new char[MAX_PASSWORD + 2];
        int n = 0;
        try {
            Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
            int c;
            while ((c = r.read()) >= 0 && c != '\n') {
                if (n == buf.length) {
                    throw new Refused("password longer than " + MAX_PASSWORD + " characters");
                }
                buf[n++] = (char) c;
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            if (n > MAX_PASSWORD) {
                throw new Refused("password longer than " + MAX_PASSWORD + " characters");
            }
            return checked(Arrays.copyOf(buf, n));
        } catch (IOException e) {
            throw new Refused("cannot read the password: " + e.getMessage());
        } finally {
            Arrays.fill(buf, '\0');
        }
    }

    private static char[] checked(char[] password) {
        if (password.length == 0) {
            throw new Refused("empty password");
        }
        return password;
    }
}
