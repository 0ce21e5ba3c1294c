package dev.mta.mailauth.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own whose only resolver is a dnsmasq on its loopback, serving fixed TXT records
 * and nothing else: programs that read only the system resolver (port 53 as /etc/resolv.conf says) run in it with
 * {@link #exec}. The namespace has nothing but lo, so nothing in it reaches past loopback; /etc/netns/NAME/resolv.conf
 * is what ip netns exec binds over /etc/resolv.conf for them. {@link #close} undoes it all, and a shutdown hook does
 * so if the JVM ends first.
 */
final class NetnsDns implements AutoCloseable {
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final Path ETC_NETNS = Path.of("/etc/netns");

    private final NetnsTools tools;
    private final String name;
    private final Path dir;
    private final Thread hook = new Thread(this::closeFromHook, "netns-dns-cleanup");
    private boolean added;
    private boolean createdEtcNetns;
    private Process dnsmasq;
    private boolean closed;

    /** Namespace creation failed: not a failure of what runs in it (no CAP_SYS_ADMIN in a container, say). */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    private NetnsDns(NetnsTools tools, String name, Path dir) {
        this.tools = tools;
        this.name = name;
        this.dir = dir;
    }

    /** A new namespace serving {@code txt} (owner name to record text), dnsmasq listening when this returns. */
    static NetnsDns start(NetnsTools tools, Path dir, Map<String, String> txt) throws IOException,
            InterruptedException {
        // The pid says which JVM made it; the random part keeps parallel runs apart.
        String name = "mta-odkim-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        NetnsDns ns = new NetnsDns(tools, name, dir);
        try {
            ns.create();
            ns.startDnsmasq(txt);
            return ns;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            try {
                ns.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** {@code command} run in the namespace, {@code stdin} as its input. */
    BoundedCommand.Result exec(List<String> command, byte[] stdin, Duration timeout)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(tools.ip(), "netns", "exec", name));
        full.addAll(command);
        return BoundedCommand.run(full, stdin, timeout, dir);
    }

    private void create() throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(hook);
        BoundedCommand.Result add = ip("netns", "add", name);
        if (add.exit() != 0) {
            throw new Unavailable("ip netns add " + name + " (exit " + add.exit() + "): " + add.output().strip());
        }
        added = true;
        createdEtcNetns = !Files.isDirectory(ETC_NETNS);
        Path etc = Files.createDirectories(ETC_NETNS.resolve(name));
        // Short timeouts: a lost answer on loopback should cost seconds, not the glibc default of 5 s times 2.
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:2 attempts:2\n",
                StandardCharsets.US_ASCII);
        checked(ip("netns", "exec", name, tools.ip(), "link", "set", "lo", "up"), "lo up");
    }

    private void startDnsmasq(Map<String, String> txt) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tools.ip(), "netns", "exec", name, tools.dnsmasq(),
                "--keep-in-foreground",
                "--conf-file=/dev/null", // not the host's /etc/dnsmasq.conf
                "--pid-file=", // none: ip netns exec leaves the host's /run in view
                "--no-resolv", "--no-hosts", // no upstream, no /etc/hosts: only the records below
                "--listen-address=127.0.0.1", "--port=53", "--bind-interfaces",
                "--address=/#/", // any other name does not exist (NXDOMAIN), as an authority would say
                "--log-facility=-"));
        txt.forEach((owner, text) -> command.add(DnsmasqTxt.option(owner, text)));
        Path log = dir.resolve("dnsmasq-" + name + ".log");
        dnsmasq = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        dnsmasq.getOutputStream().close();
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!listening(dnsmasq.pid())) {
            if (!dnsmasq.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("dnsmasq did not come up in " + name + " (alive " + dnsmasq.isAlive() + "): "
                        + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }

    /**
     * Whether dnsmasq holds 127.0.0.1:53 over UDP, read from /proc/PID/net/udp, which lists the sockets of that
     * process's namespace: ip netns exec executes dnsmasq in its own process, so the pid is dnsmasq's once it runs.
     */
    private static boolean listening(long pid) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            if (!Files.readSymbolicLink(proc.resolve("exe")).endsWith("dnsmasq")) {
                return false; // still ip, in the host's namespace
            }
            // 127.0.0.1 as the kernel prints it: host byte order, little-endian here (big-endian elsewhere).
            return Files.readAllLines(proc.resolve("net/udp")).stream().map(String::strip)
                    .anyMatch(l -> l.contains(" 0100007F:0035 ") || l.contains(" 7F000001:0035 "));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Each step on its own, so that one failing leaves none of the others undone.
        List<String> problems = new ArrayList<>();
        step(problems, this::stopDnsmasq);
        step(problems, this::deleteNamespace);
        step(problems, this::removeEtc);
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
                // the hook is running, or was never added: nothing to remove
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cleaning up network namespace " + name + ": " + problems);
        }
    }

    private interface Step {
        void run() throws IOException, InterruptedException;
    }

    private static void step(List<String> problems, Step step) {
        try {
            step.run();
        } catch (IOException e) {
            problems.add(e.getMessage());
        } catch (InterruptedException e) {
            problems.add("interrupted");
            Thread.currentThread().interrupt();
        }
    }

    private void stopDnsmasq() throws IOException, InterruptedException {
        if (dnsmasq == null) {
            return;
        }
        dnsmasq.destroy();
        if (!dnsmasq.waitFor(5, TimeUnit.SECONDS)) {
            BoundedCommand.kill(dnsmasq);
        }
        if (dnsmasq.isAlive()) {
            throw new IOException("dnsmasq " + dnsmasq.pid() + " still runs");
        }
    }

    private void deleteNamespace() throws IOException, InterruptedException {
        if (added) {
            checked(ip("netns", "del", name), "ip netns del " + name);
        }
    }

    /** /etc/netns/NAME, and /etc/netns itself if this made it and no one else has put anything there since. */
    private void removeEtc() throws IOException {
        Path etc = ETC_NETNS.resolve(name);
        Files.deleteIfExists(etc.resolve("resolv.conf"));
        Files.deleteIfExists(etc);
        if (createdEtcNetns) {
            try {
                Files.deleteIfExists(ETC_NETNS);
            } catch (DirectoryNotEmptyException | NoSuchFileException inUseByOthers) {
                // another namespace's files: theirs to remove
            }
        }
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
        }
    }

    private BoundedCommand.Result ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tools.ip()));
        command.addAll(List.of(args));
        return BoundedCommand.run(command, new byte[0], STEP, dir);
    }

    private static void checked(BoundedCommand.Result r, String what) throws IOException {
        if (r.exit() != 0) {
            throw new IOException(what + " (exit " + r.exit() + "): " + r.output().strip());
        }
    }
}
