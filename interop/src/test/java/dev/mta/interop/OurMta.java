package dev.mta.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This MTA in a JVM of its own, started as an operator would, with its command-line flags: SMTP on
 * 127.0.0.1:{@code port}, the hostname {@link #HOSTNAME}, no metrics or POP3 listener, its output in a log file.
 */
final class OurMta implements AutoCloseable {
    static final String HOSTNAME = "mx.test";

    private final Process process;
    private final Path log;
    private final int port;

    private OurMta(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static OurMta start(Path dir, int port, List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.mta.server.MtaMain",
                "--smtp-listen", "127.0.0.1:" + port, "--spool", dir.resolve("spool").toString(),
                "--hostname", HOSTNAME, "--metrics-listen", "off", "--pop3-listen", ""));
        cmd.addAll(flags);
        Path log = dir.resolve("mta.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A test JVM stopped before its @AfterAll must not leave the MTA listening behind it.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "stop-mta-child"));
        OurMta mta = new OurMta(p, log, port);
        if (!Ports.awaitListening(port, Duration.ofSeconds(60)) || !p.isAlive()) {
            p.destroyForcibly();
            throw new AssertionError("the MTA did not start: " + mta.log());
        }
        return mta;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    int port() {
        return port;
    }

    /** Its output so far: the start-up lines and the mail log. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
