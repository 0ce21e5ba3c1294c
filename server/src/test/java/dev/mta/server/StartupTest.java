package dev.mta.server;

import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a real MTA process says at start: one line and a non-zero exit for what stops it, warnings for what may. */
class StartupTest {
    @TempDir
    Path dir;

    private List<String> java(String... args) {
        return javaOn("spool", args);
    }

    private List<String> javaOn(String spool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MtaMain.class.getName(), "--spool", dir.resolve(spool).toString(),
                "--metrics-listen", "off")); // not the default metrics port another MTA on this machine may hold
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void assertOneLine(ProcessRunner.Result r, int status, String mentions) {
        assertEquals(status, r.exitCode(), r.output());
        String out = r.output().strip();
        assertEquals(1, out.lines().count(), "one line: " + out);
        assertTrue(out.startsWith("mta: ") && out.contains(mentions), out);
    }

    @Test
    void badConfigurationIsOneLineNamingTheKey() throws Exception {
        assertOneLine(ProcessRunner.run(java("--max-line-length", "100"), 30), 2, "max-line-length");
        assertOneLine(ProcessRunner.run(java("--smtp-listen", "nonsense"), 30), 2, "smtp-listen");
        assertOneLine(ProcessRunner.run(java("--retry-delays", "5x"), 30), 2, "retry-delays");
        assertOneLine(ProcessRunner.run(java("--relay-data-done-timeout", "0"), 30), 2, "relay-data-done-timeout");
        assertOneLine(ProcessRunner.run(java("--max-connections", "many"), 30), 2, "--max-connections");
        assertOneLine(ProcessRunner.run(java("--command-timeout", "10000000000"), 30), 2, "command-timeout");
        assertOneLine(ProcessRunner.run(java("--shutdown-grace", "-1"), 30), 2, "shutdown-grace");
        assertOneLine(ProcessRunner.run(java("--max-lifetime", "999999999999999d"), 30), 2, "max-lifetime");
        assertOneLine(ProcessRunner.run(java("--retry-delays", "1m,-5m"), 30), 2, "retry-delays");
        assertOneLine(ProcessRunner.run(java("--relay-port", "0"), 30), 2, "relay-port must be at least 1");
        assertOneLine(ProcessRunner.run(java("--transport-map", "*=host:0"), 30), 2, "transport-map");
        assertOneLine(ProcessRunner.run(java("--dns-server", "127.0.0.1:0"), 30), 2, "dns-server");
        assertOneLine(ProcessRunner.run(java("--event-loop-threads", "100000"), 30), 2, "event-loop-threads");
        assertOneLine(ProcessRunner.run(java("--queue-segment-size", "9999999999999"), 30), 2, "queue-segment-size");
        Path file = Files.writeString(dir.resolve("mta.properties"), "max-recipents = 5\n");
        assertOneLine(ProcessRunner.run(java("--config", file.toString()), 30), 2, "max-recipents");
        assertOneLine(ProcessRunner.run(java("--config", dir.resolve("missing.conf").toString()), 30), 2,
                "config: cannot read " + dir.resolve("missing.conf") + ": no such file");
        Path badValue = Files.writeString(dir.resolve("bad.conf"), "transport-map = example.com=mx.example.com\n");
        assertOneLine(ProcessRunner.run(java("--config", badValue.toString()), 30), 2, "transport-map");
        assertOneLine(ProcessRunner.run(java("--submission-listen", "127.0.0.1:25, 127.0.0.1:25"), 30), 2,
                "submission-listen: 127.0.0.1:25 is given twice");
        assertFalse(Files.exists(dir.resolve("spool")), "nothing was created");
    }

    @Test
    void aPortInUseIsOneLineNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProcessRunner.Result r = ProcessRunner.run(java("--smtp-listen", "127.0.0.1:" + taken.getLocalPort(),
                    "--no-relay"), 30);
            // Bad configuration, found before anything is opened: status 2, as for any bad value.
            assertEquals(2, r.exitCode(), r.output());
            List<String> errors = r.output().lines().filter(l -> l.startsWith("mta: ")).toList();
            assertEquals(1, errors.size(), r.output());
            assertEquals(1, r.output().strip().lines().count(), "nothing else: " + r.output());
            assertTrue(errors.get(0).startsWith("mta: smtp-listen: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    r.output());
            assertFalse(r.output().contains("\tat "), "no stack trace: " + r.output());
            assertFalse(Files.exists(dir.resolve("spool")), "the spool was not touched");
        }
    }

    @Test
    void aLowOpenFileLimitAndAJvmWithoutExitOnOutOfMemoryAreWarnedAbout() throws Exception {
        int port = MtaProcess.freePort();
        Path log = dir.resolve("mta.log");
        String cmd = "ulimit -n 512 && exec " + String.join(" ", java("--smtp-listen", "127.0.0.1:" + port, "--no-relay"));
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            try {
                MtaProcess.awaitListening(port);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ":\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            assertTrue(out.contains("the open-file limit is 512 but --max-connections 1000"), out);
            assertTrue(out.contains("-XX:+ExitOnOutOfMemoryError"), out);
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }

        int port2 = MtaProcess.freePort();
        Path log2 = dir.resolve("mta2.log");
        List<String> withFlag = new ArrayList<>(javaOn("spool2", "--smtp-listen", "127.0.0.1:" + port2, "--no-relay"));
        withFlag.add(1, "-XX:+ExitOnOutOfMemoryError");
        Process q = new ProcessBuilder(withFlag).redirectErrorStream(true).redirectOutput(log2.toFile()).start();
        try {
            MtaProcess.awaitListening(port2);
            String out = Files.readString(log2);
            assertFalse(out.contains("open-file limit"), out);
            assertFalse(out.contains("ExitOnOutOfMemoryError"), out);
        } finally {
            q.destroy();
            q.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
