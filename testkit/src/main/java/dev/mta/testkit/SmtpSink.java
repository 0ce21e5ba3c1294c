package dev.mta.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Postfix's smtp-sink on a loopback port, dumping every message it accepts into a folder of files. */
public final class SmtpSink implements AutoCloseable {
    private final Process process;
    private final Path dumps;
    private final InetSocketAddress address;

    private SmtpSink(Process process, Path dumps, InetSocketAddress address) {
        this.process = process;
        this.dumps = dumps;
        this.address = address;
    }

    public static SmtpSink start(Path dir) throws Exception {
        String program = Peers.require("smtp-sink");
        // smtp-sink drops root for nobody, who must reach and write the dumps: not below JUnit's private temp dir.
        Path dumps = Files.createTempDirectory("smtp-sink");
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(program));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "nobody"));
        }
        cmd.addAll(List.of("-d", dumps + "/%H%M%S.", "127.0.0.1:" + port, "256"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("sink.log").toFile()).start();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket s = new Socket(address.getAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw new AssertionError("smtp-sink did not start: " + Files.readString(dir.resolve("sink.log")));
                }
                Thread.sleep(20);
            }
        }
        return new SmtpSink(p, dumps, address);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The messages dumped so far, each file's text. */
    public List<String> messages() throws IOException {
        try (Stream<Path> s = Files.walk(dumps)) {
            List<Path> files = s.filter(Files::isRegularFile).collect(Collectors.toList());
            List<String> out = new ArrayList<>();
            for (Path f : files) {
                out.add(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return out;
        }
    }

    /**
     * Waits until {@code n} dumps are written out whole (smtp-sink writes a dump when its connection ends, and
     * each ends with an empty line) and returns them.
     */
    public List<String> awaitComplete(int n, long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            List<String> got = messages();
            if (got.size() >= n && got.stream().allMatch(m -> m.endsWith("\n\n"))) {
                return got;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("smtp-sink has " + got.size() + " of " + n + " messages written out");
            }
            Thread.sleep(50);
        }
    }

    public int count() throws IOException {
        try (Stream<Path> s = Files.walk(dumps)) {
            return (int) s.filter(Files::isRegularFile).count();
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (Stream<Path> s = Files.walk(dumps)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}
