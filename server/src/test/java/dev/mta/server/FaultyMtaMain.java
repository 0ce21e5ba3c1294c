package dev.mta.server;

import dev.mta.queue.log.FaultHook;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.support.TestMta;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An MTA process whose disk and threads fail on cue, for crash tests: MtaMain's options, the real fatal-exit
 * handler, and trigger files in the folder named by the system property {@code mta.test.triggers}:
 * {@code fail-fsync} fails the next fsync (EIO) and drops what it covered, {@code writer-oom} throws OutOfMemoryError on the queue writer,
 * {@code kill-acceptor} kills the thread that accepts connections. Each trigger is consumed when it fires.
 */
public final class FaultyMtaMain {
    private FaultyMtaMain() {
    }

    public static void main(String[] args) throws Exception {
        Path triggers = Path.of(System.getProperty("mta.test.triggers"));
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.parseArgs(args);
        ServerConfig config = ((MtaMain) cmd.getCommand()).toConfig();
        FaultHook disk = (segment, channel, durableEnd, end) -> {
            if (Files.deleteIfExists(triggers.resolve("fail-fsync"))) {
                // What Linux may do on a failed fsync: drop the dirty pages, so that range reads back as zeros.
                if (end > durableEnd) {
                    channel.write(java.nio.ByteBuffer.allocate((int) (end - durableEnd)), durableEnd);
                }
                throw new IOException("Input/output error (injected)");
            }
            if (Files.deleteIfExists(triggers.resolve("writer-oom"))) {
                throw new OutOfMemoryError("injected on the queue writer");
            }
        };
        Mta mta = Mta.start(config, config.queueConfig().withFaults(disk), new FatalExit());
        Thread killer = new Thread(() -> killAcceptorOnCue(triggers), "acceptor-killer");
        killer.setDaemon(true);
        killer.start();
        mta.awaitStop();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void killAcceptorOnCue(Path triggers) {
        try {
            while (!Files.deleteIfExists(triggers.resolve("kill-acceptor"))) {
                Thread.sleep(50);
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                // ThreadDeath, an Error, as an OutOfMemoryError in the accept loop would be. One that lands in a
                // task is caught there by Netty, as such an error would be: throw again until the loop is gone.
                // Each throw gets a whole second to end the thread: a second one landing in the loop's own
                // clean-up (slow on a busy machine) would kill that too, and the loop would never report its end.
                for (int i = 0; i < 15 && t.isAlive() && t.getName().startsWith("smtp-accept"); i++) {
                    t.stop();
                    t.join(1000);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test is over
        }
    }

    /** Starts this main in a JVM of its own on 127.0.0.1:{@code port}, output in {@code log}. */
    public static Process launch(Path triggers, int port, Path spool, Path log, String... extra) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-Dmta.test.triggers=" + triggers,
                "-cp", System.getProperty("java.class.path"), FaultyMtaMain.class.getName(),
                "--smtp-listen", "127.0.0.1:" + port, "--spool", spool.toString(), "--hostname", TestMta.HOSTNAME));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
