package dev.mta.mailauth.dkim;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's dkimpy (python3-dkim, with python3-nacl for Ed25519), an independent DKIM implementation, driven through
 * {@code dkimpy_witness.py} with Debian's own {@code /usr/bin/python3} (another python3 may come first on PATH and
 * lack the module), many messages per run. Missing, it skips the test on a developer machine and fails it under CI
 * (CI set), as {@code dev.mta.testkit.Peers} does for programs.
 */
final class Dkimpy {
    static final String PYTHON = "/usr/bin/python3";

    /** What dkimpy is asked to sign. */
    record SignRequest(byte[] message, String key, String selector, String domain, String algorithm, String headerC,
                       String bodyC, List<String> headers, boolean length) {
    }

    private final Path dir;
    private final Path script;
    private final AtomicInteger files = new AtomicInteger();

    private Dkimpy(Path dir, Path script) {
        this.dir = dir;
        this.script = script;
    }

    /** dkimpy working in {@code dir}, or the test skipped (failed under CI) when it is not installed. */
    static Dkimpy require(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON)) || run(List.of(PYTHON, "-c", "import dkim, nacl")).exit != 0) {
            String msg = PYTHON + " with python3-dkim and python3-nacl is not installed"
                    + " (apt-get install python3-dkim python3-nacl)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        Path script = dir.resolve("dkimpy_witness.py");
        try (InputStream in = Dkimpy.class.getResourceAsStream("dkimpy_witness.py")) {
            Files.copy(in, script);
        }
        return new Dkimpy(dir, script);
    }

    /** dkimpy's verdict on each DKIM-Signature of {@code message}, top to bottom: true for pass. */
    List<Boolean> verify(byte[] message, Map<String, String> dns) throws IOException, InterruptedException {
        return verifyAll(List.of(message), dns).get(0);
    }

    /** {@link #verify} for each message, in one run. */
    List<List<Boolean>> verifyAll(List<byte[]> messages, Map<String, String> dns)
            throws IOException, InterruptedException {
        StringBuilder zone = new StringBuilder();
        dns.forEach((name, record) -> zone.append(name).append('\t').append(record).append('\n'));
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "verify",
                write("dns", zone.toString().getBytes(StandardCharsets.US_ASCII)).toString()));
        for (byte[] m : messages) {
            command.add(write("msg", m).toString());
        }
        List<String> lines = lines(run(command), "verify", messages.size());
        List<List<Boolean>> verdicts = new ArrayList<>();
        for (String line : lines) {
            List<Boolean> v = new ArrayList<>();
            for (String word : line.strip().split(" ")) {
                if (!word.isEmpty()) {
                    v.add(word.equals("pass"));
                }
            }
            verdicts.add(v);
        }
        return verdicts;
    }

    /**
     * The DKIM-Signature field dkimpy makes for each request, ending in CRLF, in one run. Keys are PEM for RSA and
     * the base64 Ed25519 secret (dkimpy's forms); null headers for dkimpy's default list.
     */
    List<String> signAll(List<SignRequest> requests) throws IOException, InterruptedException {
        StringBuilder spec = new StringBuilder();
        for (SignRequest r : requests) {
            spec.append(String.join("\t", write("msg", r.message()).toString(),
                    write("key", r.key().getBytes(StandardCharsets.US_ASCII)).toString(), r.selector(), r.domain(),
                    r.algorithm(), r.headerC(), r.bodyC(), r.headers() == null ? "-" : String.join(":", r.headers()),
                    r.length() ? "l" : "-")).append('\n');
        }
        Path specFile = write("sign", spec.toString().getBytes(StandardCharsets.US_ASCII));
        List<String> fields = new ArrayList<>();
        for (String line : lines(run(List.of(PYTHON, script.toString(), "sign", specFile.toString())), "sign",
                requests.size())) {
            fields.add(new String(Base64.getDecoder().decode(line.strip()), StandardCharsets.ISO_8859_1));
        }
        return fields;
    }

    private Path write(String kind, byte[] content) throws IOException {
        return Files.write(dir.resolve(kind + files.incrementAndGet()), content);
    }

    private static List<String> lines(Result r, String mode, int expected) {
        List<String> lines = r.output.lines().toList();
        if (r.exit != 0 || lines.size() != expected) {
            throw new AssertionError("dkimpy " + mode + " (exit " + r.exit + "): " + r.output);
        }
        return lines;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command.subList(0, 3));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1));
    }
}
