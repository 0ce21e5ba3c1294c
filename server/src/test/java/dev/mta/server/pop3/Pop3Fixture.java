package dev.mta.server.pop3;

import dev.mta.mailbox.maildir.MailRoot;
import dev.mta.mailbox.maildir.MaildirName;
import dev.mta.server.auth.AuthFailures;
import dev.mta.server.auth.UserStore;
import dev.mta.server.auth.VerifierPool;
import dev.mta.server.net.Transport;
import dev.mta.server.tls.TlsContexts;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real POP3 server on loopback ports of its own: users alice and bob (password {@value #PASSWORD}), a mail root in
 * {@code dir}, a self-signed certificate, a short failure delay, and mail put into Maildirs as the local delivery
 * writes it (named by {@link MaildirName}, LF line ends).
 */
final class Pop3Fixture implements AutoCloseable {
    static final String PASSWORD = "test123";
    /** Made by doveadm pw for "test123" (PostfixAdmin's tests), bcrypt cost 5: quick to check. */
    static final String HASH = "{BLF-CRYPT}$2y$05$cEEZv2h/NtLXII.emi2TP.rMZyB7VRSkyToXWBqqz6cXDoyay166q";
    static final long FAILURE_DELAY_MILLIS = 300;
    private static final AtomicLong SECONDS = new AtomicLong(1_700_000_000);

    final Path dir;
    final MailRoot mailRoot;
    final AuthFailures failures;
    final TlsContexts tls;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final VerifierPool pool = new VerifierPool(2, 16);
    final Pop3Server server;

    Pop3Fixture(Path dir) throws Exception {
        this(dir, new AuthFailures(), Duration.ofMinutes(10), 100);
    }

    Pop3Fixture(Path dir, AuthFailures failures, Duration idle, int maxConnections) throws Exception {
        this.dir = dir;
        this.mailRoot = new MailRoot(dir.resolve("mail"));
        this.failures = failures;
        Path users = Files.writeString(dir.resolve("users"), "alice:" + HASH + "\nbob:" + HASH + "\n");
        UserStore store = UserStore.open(users, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool);
        this.tls = TlsContexts.load(null, null, Files.createDirectories(dir.resolve("tls")), "mx.test");
        Transport t = Transport.best();
        acceptors = t.newGroup("pop3-test-accept", 1);
        workers = t.newGroup("pop3-test-io", 2);
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        server = new Pop3Server(new Pop3Settings(List.of(any), List.of(any), idle, maxConnections, mailRoot, true),
                t, acceptors, workers).withTls(tls).withAuth(store, false, failures, FAILURE_DELAY_MILLIS);
        server.start();
    }

    InetSocketAddress address() {
        return server.addresses().get(0);
    }

    InetSocketAddress tlsAddress() {
        return server.implicitTlsAddresses().get(0);
    }

    Path maildir(String user) {
        return mailRoot.maildirOf(user);
    }

    /** Puts {@code content} (LF line ends) into {@code user}'s new/, named as the delivery names it; returns the file. */
    Path deliver(String user, String content) throws IOException {
        Path m = maildir(user);
        for (String f : List.of("tmp", "new", "cur")) {
            Files.createDirectories(m.resolve(f));
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        long lfs = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
                lfs++;
            }
        }
        String base = SECONDS.incrementAndGet() + ".M1P2Q3.mx.test";
        MaildirName name = new MaildirName(base, bytes.length, bytes.length + lfs, "");
        return Files.write(m.resolve("new").resolve(name.newName()), bytes);
    }

    /** The message files of {@code user} now, in new/ and cur/. */
    List<Path> files(String user) throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (String f : List.of("new", "cur")) {
            Path d = maildir(user).resolve(f);
            if (Files.isDirectory(d)) {
                try (var s = Files.list(d)) {
                    s.filter(p -> !p.getFileName().toString().startsWith(".")).forEach(all::add);
                }
            }
        }
        return all;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(1));
        acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        pool.close();
    }
}
