package dev.mta.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An MTA in a JVM of its own, started from the test class path, so a test can SIGKILL it for real. */
public final class MtaProcess {
    private MtaProcess() {
    }

    /** Starts {@code dev.mta.server.MtaMain} on 127.0.0.1:{@code port} with its output in {@code log}. */
    public static Process start(int port, Path spool, Path log, List<String> extraArgs) throws IOException {
        return start(port, spool, log, List.of("-Xmx512m"), extraArgs);
    }

    /** As {@link #start(int, Path, Path, List)}, with the JVM's own options (heap size and the like). */
    public static Process start(int port, Path spool, Path log, List<String> jvmOptions, List<String> extraArgs)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--smtp-listen", "127.0.0.1:" + port, "--spool", spool.toString(),
                "--hostname", TestMta.HOSTNAME));
        if (!extraArgs.contains("--metrics-listen")) {
            // Test MTAs run side by side: none takes the default metrics port unless the test asks for a listener.
            args.addAll(List.of("--metrics-listen", "off"));
        }
        if (!extraArgs.contains("--pop3-listen")) {
            args.addAll(List.of("--pop3-listen", "")); // nor the default POP3 port (taken only with --users)
        }
        args.addAll(extraArgs);
        return new ProcessBuilder(command(jvmOptions, args)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
    }

    /** The {@code mta} command with {@code args} ({@code user add ...}, or the server's flags), as tests run it. */
    public static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.mta.server.MtaMain"));
        cmd.addAll(args);
        return cmd;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until the process is nearly idle (under a fifth of a core over half a second), at most {@code limit};
     * returns whether it got there. Clients' bytes wait in the kernel until the server reads them: a flood that
     * has stalled on the client side may still be worked through on the server's.
     */
    public static boolean awaitIdle(Process process, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Duration last = cpu(process);
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            Duration now = cpu(process);
            if (now.minus(last).toMillis() < 100) {
                return true;
            }
            last = now;
        }
        return false;
    }

    private static Duration cpu(Process process) {
        return process.info().totalCpuDuration().orElseThrow(() -> new AssertionError("no CPU time for the MTA"));
    }

    /** Waits (up to 20 s) until the MTA greets on {@code port}. */
    public static void awaitListening(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            // A greeting, not just a connect: only the real listener greets (anything else bound there does not).
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5_000);
                byte[] first = s.getInputStream().readNBytes(4);
                if (new String(first, java.nio.charset.StandardCharsets.US_ASCII).startsWith("220")) {
                    return;
                }
                Thread.sleep(50);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the MTA did not start listening on " + port);
    }
}
