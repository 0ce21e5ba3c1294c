package dev.mta.bench.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * This MTA as a child process, relaying everything to the sink: from {@code mta.jar} when one is given, else from
 * this JVM's class path (mta-bench.jar holds the server). Its spool and log live in a temporary directory.
 */
final class ChildMta implements Subject {
    private final Process process;
    private final InetSocketAddress smtp;
    private final Path dir;

    private ChildMta(Process process, InetSocketAddress smtp, Path dir) {
        this.process = process;
        this.smtp = smtp;
        this.dir = dir;
    }

    /** Starts the MTA relaying to {@code sink}, sized for {@code sessions}, and waits for its greeting. */
    static ChildMta start(Path mtaJar, InetSocketAddress sink, int sessions, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("compare-mta");
        int port = Ports.free();
        List<String> cmd = command(mtaJar, jvmOptions, port, dir.resolve("spool"), sink, sessions);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("mta.log").toFile())
                .start();
        ChildMta mta = new ChildMta(p, new InetSocketAddress("127.0.0.1", port), dir);
        if (!Ports.awaitGreeting(mta.smtp, Duration.ofSeconds(60), p.toHandle())) {
            String log = Files.exists(dir.resolve("mta.log")) ? Files.readString(dir.resolve("mta.log")) : "";
            mta.close();
            throw new IOException("the MTA did not greet on " + port + ": " + log);
        }
        return mta;
    }

    /** The command line: no per-client limits (all load comes from loopback), outbound as wide as the load. */
    static List<String> command(Path mtaJar, List<String> jvmOptions, int port, Path spool, InetSocketAddress sink,
                                int sessions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        if (mtaJar != null) {
            cmd.addAll(List.of("-jar", mtaJar.toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.mta.server.MtaMain"));
        }
        String outbound = Integer.toString(Math.max(sessions, 20));
        cmd.addAll(List.of("--smtp-listen", "127.0.0.1:" + port, "--spool", spool.toString(),
                "--transport-map", "*=127.0.0.1:" + sink.getPort(), "--metrics-listen", "off",
                "--hostname", "bench.test", "--max-connections-per-client", "0", "--max-connection-rate", "0",
                "--max-connections", Integer.toString(Math.max(1000, sessions * 2)),
                "--max-outbound-connections", outbound, "--max-per-destination", outbound,
                "--relay-tls-policy", "*=none", "--retry-delays", "1s"));
        return cmd;
    }

    @Override
    public InetSocketAddress smtp() {
        return smtp;
    }

    @Override
    public long rootPid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        TempDirs.delete(dir);
    }
}
