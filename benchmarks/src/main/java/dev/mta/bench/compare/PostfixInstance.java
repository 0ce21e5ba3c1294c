package dev.mta.bench.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Postfix as a private instance: {@code postfix -c DIR start} on a temporary directory written from a
 * {@link PostfixConfig}, {@code postfix -c DIR stop} and the directory removed on close. Run as root (Postfix's
 * master must start as root; it runs its daemons as {@code mail_owner} postfix). A system-wide Postfix, if any,
 * is never touched: every command names the private config directory.
 */
final class PostfixInstance implements Subject {
    static final String POSTFIX = "/usr/sbin/postfix";

    private final PostfixConfig config;
    private final long masterPid;

    private PostfixInstance(PostfixConfig config, long masterPid) {
        this.config = config;
        this.masterPid = masterPid;
    }

    /** Why Postfix cannot run here, or null when it can. */
    static String unavailable() {
        if (!Files.isExecutable(Path.of(POSTFIX)) || !Files.isExecutable(Path.of("/usr/lib/postfix/sbin/master"))) {
            return "postfix is not installed (apt-get install postfix)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "a private Postfix instance needs root (its master starts as root)";
        }
        return null;
    }

    static PostfixInstance start(InetSocketAddress sink, int sessions) throws IOException, InterruptedException {
        String why = unavailable();
        if (why != null) {
            throw new IOException(why);
        }
        Path dir = Files.createTempDirectory("compare-postfix");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostfixConfig config = new PostfixConfig(dir, Ports.free(), sink.getPort(), sessions);
        Files.createDirectories(config.configDir());
        Files.createDirectories(config.queueDir());
        Files.createDirectories(config.dataDir());
        run(List.of("chown", "postfix", config.dataDir().toString()));
        Files.writeString(config.configDir().resolve("main.cf"), config.mainCf());
        Files.writeString(config.configDir().resolve("master.cf"), config.masterCf());
        String out = run(List.of(POSTFIX, "-c", config.configDir().toString(), "start"));
        InetSocketAddress smtp = new InetSocketAddress("127.0.0.1", config.port());
        Path pidFile = config.queueDir().resolve("pid/master.pid");
        if (!Ports.awaitGreeting(smtp, Duration.ofSeconds(30), null) || !Files.exists(pidFile)) {
            String log = Files.exists(config.maillog()) ? Files.readString(config.maillog()) : "";
            stop(config);
            throw new IOException("postfix did not start: " + out + log);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return new PostfixInstance(config, pid);
    }

    PostfixConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress smtp() {
        return new InetSocketAddress("127.0.0.1", config.port());
    }

    @Override
    public long rootPid() {
        return masterPid;
    }

    /** The version, as {@code postconf -d mail_version} says. */
    static String version() {
        try {
            return run(List.of("/usr/sbin/postconf", "-d", "-h", "mail_version")).trim();
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop(config);
        ProcessHandle.of(masterPid).ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
            h.destroyForcibly();
            return h;
        }).join());
        TempDirs.delete(config.dir());
    }

    private static void stop(PostfixConfig config) throws IOException, InterruptedException {
        run(List.of(POSTFIX, "-c", config.configDir().toString(), "stop"));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
