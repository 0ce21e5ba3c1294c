package dev.mta.server.durability;

import dev.mta.server.support.Await;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.UsersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL while mail is being delivered into Maildirs (directly, and through an alias that queues it again) loses
 * nothing: after a restart on the same spool and mail root, every message that got its 250 is in every mailbox it
 * was for, at least once (a message may come twice: the crash fell between the Maildir's rename and the queue's
 * record of it).
 */
class LocalDeliveryCrashTest {
    private static final Pattern SEQ = Pattern.compile("X-Seq: (\\d+)");
    private static final int SESSIONS = 8;

    @TempDir
    Path dir;

    private List<String> args(Path users, Path aliases) {
        return List.of("--local-domains", "example.net", "--users", users.toString(), "--aliases", aliases.toString(),
                "--mail-root", dir.resolve("mail").toString(), "--retry-delays", "1s");
    }

    @Test
    void everyAcknowledgedMessageIsInEveryMailboxAfterSigkill() throws Exception {
        Path users = UsersFile.write(dir.resolve("users"), Map.of("alice", "a-pw", "bob", "b-pw"));
        Path aliases = Files.writeString(dir.resolve("aliases"), "postmaster: alice\nboth: alice, bob\n");
        Path spool = dir.resolve("spool");
        int port = MtaProcess.freePort();
        Process mta = MtaProcess.start(port, spool, dir.resolve("first.log"), args(users, aliases));
        MtaProcess.awaitListening(port);
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            int session = s;
            Thread t = new Thread(() -> send(at, session, acked));
            t.start();
            senders.add(t);
        }
        Await.until(() -> acked.size() >= 150, "150 messages acknowledged");
        mta.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // SIGKILL, mid-delivery
        for (Thread t : senders) {
            t.join(30_000);
        }
        Process again = MtaProcess.start(port, spool, dir.resolve("second.log"), args(users, aliases));
        try {
            MtaProcess.awaitListening(port);
            // alice gets every message (even ones directly, odd ones through the alias); bob the odd ones.
            Await.until(() -> seqs("alice").keySet().containsAll(acked), "alice has every acknowledged message");
            Set<Integer> odd = acked.stream().filter(s -> s % 2 == 1).collect(java.util.stream.Collectors.toSet());
            Await.until(() -> seqs("bob").keySet().containsAll(odd), "bob has every acknowledged alias message");
            assertTrue(acked.size() >= 150);
        } finally {
            again.destroy();
            if (!again.waitFor(20, TimeUnit.SECONDS)) {
                again.destroyForcibly();
            }
        }
    }

    /** Sends to alice and to the alias both (alice and bob) until the MTA is gone, noting each 250. */
    private static void send(InetSocketAddress at, int session, Set<Integer> acked) {
        try (SmtpTestClient c = SmtpTestClient.greeted(at)) {
            for (int i = 0; i < 1000; i++) {
                int seq = session * 1000 + i;
                c.command("MAIL FROM:<sender@elsewhere.example>").assertCode(250);
                c.command("RCPT TO:<" + (seq % 2 == 0 ? "alice" : "both") + "@example.net>").assertCode(250);
                c.command("DATA").assertCode(354);
                c.send("Subject: crash\r\nX-Seq: " + seq + "\r\n\r\n" + "body line\r\n".repeat(50) + ".\r\n");
                if (c.read().code() == 250) {
                    acked.add(seq);
                }
            }
        } catch (IOException | AssertionError | RuntimeException e) {
            // The MTA was killed under us: what was not acknowledged may be lost.
        }
    }

    /** Sequence numbers in {@code user}'s Maildir (new/), with how often each is there. */
    private Map<Integer, Integer> seqs(String user) {
        Map<Integer, Integer> out = new HashMap<>();
        Path n = dir.resolve("mail").resolve(user).resolve("Maildir").resolve("new");
        if (!Files.isDirectory(n)) {
            return out;
        }
        try (Stream<Path> files = Files.list(n)) {
            for (Path f : files.toList()) {
                Matcher m = SEQ.matcher(Files.readString(f, StandardCharsets.UTF_8));
                if (m.find()) {
                    int seq = Integer.parseInt(m.group(1));
                    out.merge(seq, 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
