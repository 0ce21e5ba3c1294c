package dev.mta.mailauth.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to its end or a deadline, whichever comes first; at the deadline it and its children are killed and
 * the test fails. Standard input and output go through files in a folder of the test's, so that no pipe can fill
 * and block either side.
 */
final class BoundedCommand {
    /** The exit code and what the program wrote, stdout and stderr together. */
    record Result(int exit, String output) {
    }

    private BoundedCommand() {
    }

    static Result run(List<String> command, byte[] stdin, Duration timeout, Path dir)
            throws IOException, InterruptedException {
        Path in = Files.write(Files.createTempFile(dir, "stdin", ""), stdin);
        Path out = Files.createTempFile(dir, "output", "");
        try {
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + read(out));
            }
            return new Result(p.exitValue(), read(out));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** SIGKILL to the process and whatever it started, then a bounded wait for it to be gone. */
    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
