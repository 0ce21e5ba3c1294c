package dev.mta.server.peers;

import dev.mta.protocol.codec.BareNewline;
import dev.mta.queue.FatalErrorHandler;
import dev.mta.server.Mta;
import dev.mta.server.auth.UserStore;
import dev.mta.server.auth.VerifierPool;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.config.TlsSettings;
import dev.mta.server.smtp.AuthSettings;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.Reply;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.LeakGuard;
import dev.mta.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --bare-newline normalize} over real sockets: an authenticated client's LF-only content is queued with CRLF
 * line ends; the same content from a client that has not authenticated, or with the default {@code reject}, is
 * refused as before; a bare CR is refused in every case; and nothing but CRLF "." CRLF ends DATA. Then curl, the
 * client the option is for, uploads a Unix file to the submission listener.
 */
@ExtendWith(LeakGuard.class)
class BareNewlineTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final String LOGIN = "AUTH PLAIN " + AuthPeersTest.b64("\0alice@example.org\0test123");

    @TempDir
    static Path dir;
    static VerifierPool pool;
    static Mta normalizing;
    static Mta rejecting;

    @BeforeAll
    static void start() throws Exception {
        pool = new VerifierPool();
        Path users = Files.writeString(dir.resolve("users"), "alice@example.org:" + AuthPeersTest.TEST123 + "\n");
        normalizing = start("normalize", new AuthSettings(store(users), false, BareNewline.NORMALIZE));
        rejecting = start("reject", new AuthSettings(store(users), false));
    }

    private static UserStore store(Path users) {
        return UserStore.open(users, UserStore.DEFAULT_MAX_ARGON2_MEMORY_KIB, pool);
    }

    private static Mta start(String name, AuthSettings auth) throws Exception {
        // Loopback may relay without AUTH here: what tells the sessions apart is only whether they authenticated.
        ServerConfig config = TestMta.config(dir.resolve(name));
        return Mta.start(config, config.queueConfig(), FatalErrorHandler.LOG_ONLY,
                new TlsSettings(null, null, ANY_LOOPBACK, null), auth);
    }

    @AfterAll
    static void stop() {
        normalizing.close();
        rejecting.close();
        pool.close();
    }

    /** One transaction on a greeted session, content sent as given, up to and including the reply after it. */
    private static Reply send(SmtpTestClient c, String content) throws IOException {
        c.command("MAIL FROM:<alice@example.org>").assertCode(250);
        c.command("RCPT TO:<carol@example.com>").assertCode(250);
        c.command("DATA").assertCode(354);
        c.send(content.getBytes(StandardCharsets.ISO_8859_1));
        return c.read();
    }

    /** The content of the message a 250 queued, without our Received header. */
    private static String stored(Mta mta, Reply queued) throws IOException {
        return stored(mta, TestMta.queueId(queued));
    }

    private static String stored(Mta mta, String id) throws IOException {
        byte[] body = mta.queue().body(id).orElseThrow().readAll();
        return new String(TestMta.withoutReceived(body), StandardCharsets.ISO_8859_1);
    }

    @Test
    void authenticatedLfOnlyContentIsQueuedWithCrlf() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(normalizing.smtpAddress())) {
            c.command(LOGIN).assertReply(235, "2.7.0");
            Reply r = send(c, "Subject: from a script\n\nline one\n.a dotted line\nmixed\r\n..stuffed\r\nlast\n.\r\n.\r\n");
            // The "." after the last bare LF is not the end: it is a line of content, and the next line ends DATA.
            // After a bare LF a line is taken as sent; after CRLF it is unstuffed.
            assertEquals("Subject: from a script\r\n\r\nline one\r\n.a dotted line\r\nmixed\r\n.stuffed\r\nlast\r\n.\r\n",
                    stored(normalizing, r));
            c.command("NOOP").assertReply(250, "2.0.0"); // the session goes on, in step
        }
    }

    @Test
    void aBareLfNeverEndsData() throws Exception {
        for (String shape : List.of("\n.\n", "\n.\r\n", "\r\n.\n")) {
            try (SmtpTestClient c = SmtpTestClient.greeted(normalizing.smtpAddress())) {
                c.command(LOGIN).assertReply(235, "2.7.0");
                Reply r = send(c, "body" + shape + "RSET\r\nMAIL FROM:<mallory@example.org>\r\n.\r\n");
                assertEquals("body\r\n.\r\nRSET\r\nMAIL FROM:<mallory@example.org>\r\n", stored(normalizing, r),
                        "what follows " + shape.replace("\r", "\\r").replace("\n", "\\n") + " is content");
                c.command("NOOP").assertReply(250, "2.0.0");
            }
        }
    }

    @Test
    void withoutAuthenticationLfOnlyContentIsRefusedAsBefore() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(normalizing.smtpAddress())) {
            send(c, "Subject: x\n\nline\n\r\n.\r\n").assertReply(550, "5.5.2");
            c.command("NOOP").assertReply(250, "2.0.0");
            // Authenticating afterwards changes the next message only.
            c.command(LOGIN).assertReply(235, "2.7.0");
            TestMta.queueId(send(c, "Subject: x\n\nline\n\r\n.\r\n"));
        }
    }

    @Test
    void rejectIsTheDefaultForAuthenticatedClientsToo() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.greeted(rejecting.smtpAddress())) {
            c.command(LOGIN).assertReply(235, "2.7.0");
            send(c, "Subject: x\n\nline\n\r\n.\r\n").assertReply(550, "5.5.2");
            c.command("NOOP").assertReply(250, "2.0.0");
        }
    }

    @Test
    void aBareCrIsRefusedEvenWhenNormalizing() throws Exception {
        for (String shape : List.of("a\rb\r\n", "a\n.\rb\r\n", "a\r\n.\rb\r\n", "a\n\r.\r\n")) {
            try (SmtpTestClient c = SmtpTestClient.greeted(normalizing.smtpAddress())) {
                c.command(LOGIN).assertReply(235, "2.7.0");
                send(c, shape + ".\r\n").assertReply(550, "5.5.2");
                c.command("NOOP").assertReply(250, "2.0.0");
            }
        }
    }

    /**
     * What the option is for: {@code curl --upload-file} of a Unix file, which curl sends as it is, ending it with
     * CRLF "." CRLF (and a CRLF of its own first when the file does not end in one).
     */
    @Test
    void curlUploadsAUnixFileToTheSubmissionListener() throws Exception {
        Path file = Files.writeString(dir.resolve("unix.eml"),
                "From: alice@example.org\nTo: carol@example.com\nSubject: from curl\n\nhello\n.\n.dotted line\nbye\n");
        int before = normalizing.queue().size();
        ProcessRunner.Result r = curl(normalizing, file);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("< 250 2.0.0 Ok: queued as "), r.output());
        assertEquals(before + 1, normalizing.queue().size(), "one message queued");
        String body = stored(normalizing, queueId(r));
        // Every line CRLF, the lone "." and the dotted line kept as the file has them (curl stuffs only after CRLF);
        // the empty line last is curl's CRLF before its terminator.
        assertEquals("From: alice@example.org\r\nTo: carol@example.com\r\nSubject: from curl\r\n\r\nhello\r\n.\r\n"
                + ".dotted line\r\nbye\r\n\r\n", body);
    }

    private static ProcessRunner.Result curl(Mta mta, Path file, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("curl"), "--silent", "--show-error",
                "--verbose", "smtp://127.0.0.1:" + mta.submissionAddress().getPort(),
                "--user", "alice@example.org:test123", "--mail-from", "alice@example.org",
                "--mail-rcpt", "carol@example.com", "--upload-file", file.toString()));
        cmd.addAll(List.of(extra));
        return ProcessRunner.run(cmd, 60);
    }

    /** The queue id in curl's --verbose account of the reply after the dot. */
    private static String queueId(ProcessRunner.Result r) {
        String out = r.output();
        return out.substring(out.indexOf("queued as ") + "queued as ".length()).strip().split("\\s")[0];
    }

    /** Without the option the same upload is refused; curl's own --crlf needs no option (and stuffs dots right). */
    @Test
    void withoutTheOptionCurlNeedsItsCrlfFlag() throws Exception {
        Path file = Files.writeString(dir.resolve("unix-refused.eml"), "Subject: from curl\n\n.dotted\n.\nbye\n");
        ProcessRunner.Result refused = curl(rejecting, file);
        assertTrue(refused.exitCode() != 0, refused.output());
        assertTrue(refused.output().contains("< 550 5.5.2 "), refused.output());
        ProcessRunner.Result r = curl(rejecting, file, "--crlf");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("Subject: from curl\r\n\r\n.dotted\r\n.\r\nbye\r\n", stored(rejecting, queueId(r)));
    }
}
