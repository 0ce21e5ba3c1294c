package dev.mta.mailauth.results;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a witness script on Debian's own python (/usr/bin/python3, which has the python3-* packages; the first python3
 * on PATH may be another) with a Python module the witness needs. Like testkit's Peers: a missing python or module
 * skips the test on a developer machine and fails it under CI (CI set).
 */
public final class PythonWitness {
    public static final String PYTHON = "/usr/bin/python3";
    private static final long TIMEOUT_SECONDS = 120;

    private PythonWitness() {
    }

    /** Checks that {@code module} imports; skips (or, under CI, fails) the test if not, naming the Debian package. */
    public static void require(String module, String debianPackage) {
        String missing = null;
        if (!Files.isExecutable(Path.of(PYTHON))) {
            missing = PYTHON + " is not installed";
        } else {
            Result r = exec(new ProcessBuilder(PYTHON, "-c", "import " + module), "");
            if (r.exit() != 0) {
                missing = "python module " + module + " is not installed: " + r.stderr().strip();
            }
        }
        if (missing == null) {
            return;
        }
        String msg = missing + "; .ci/run installs it (apt-get install " + debianPackage + ")";
        if (System.getenv("CI") != null) {
            throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
    }

    /** Runs the script found as a resource beside {@code anchor} with {@code stdin}; its stdout, or an error. */
    public static String run(Class<?> anchor, String script, String stdin) {
        URL url = anchor.getResource(script);
        if (url == null) {
            throw new IllegalStateException("no witness script " + script + " beside " + anchor.getName());
        }
        Path path;
        try {
            path = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Result r = exec(new ProcessBuilder(PYTHON, path.toString()), stdin);
        if (r.exit() != 0) {
            throw new AssertionError(script + " failed (exit " + r.exit() + "): " + r.stderr());
        }
        return r.stdout();
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result exec(ProcessBuilder pb, String stdin) {
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(pb.command() + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
