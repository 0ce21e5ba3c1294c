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
 * {@code kill-acceptor} ends the event loop that accepts connections. Each trigger is consumed when it fires.
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
        Thread killer = new Thread(() -> killAcceptorOnCue(triggers, mta), "acceptor-killer");
        killer.setDaemon(true);
        killer.start();
        mta.awaitStop();
    }

    /**
     * Ends the acceptor's event loop while the MTA is not stopping, as an Error escaping its run loop would (an
     * OutOfMemoryError in accept, say). Ending it through Netty rather than with Thread.stop makes the end certain:
     * a ThreadDeath can land in a task (caught there) or, thrown again, in the loop's own clean-up, which then never
     * reports its end.
     */
    private static void killAcceptorOnCue(Path triggers, Mta mta) {
        try {
            while (!Files.deleteIfExists(triggers.resolve("kill-acceptor"))) {
                Thread.sleep(50);
            }
            mta.acceptors().shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
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
