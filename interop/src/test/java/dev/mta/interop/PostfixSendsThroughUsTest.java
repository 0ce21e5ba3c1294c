package dev.mta.interop;

import dev.mta.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Postfix with {@code relayhost} = this MTA: a batch handed to Postfix (8-bit, SMTPUTF8, 10 MB, 100 recipients)
 * comes through us to a sink byte for byte, once in plain text and once over STARTTLS that Postfix verifies against
 * the test CA. A recording relay between Postfix and us shows that Postfix pipelined its commands to us.
 */
@Tag("slow")
@Tag("containers")
class PostfixSendsThroughUsTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    private static ScriptedSmtpServer sink;
    private static OurMta mta;
    private static RecordingProxy proxy;
    private static PostfixContainer postfix;

    @BeforeAll
    static void start() throws Exception {
        Docker.require();
        TestCa ca = TestCa.create(dir);
        Path mxCert = ca.issue(OurMta.HOSTNAME);
        sink = new ScriptedSmtpServer();
        sink.extensions = List.of("PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE 52428800");
        mta = OurMta.start(dir, Ports.free(), List.of("--transport-map", "*=127.0.0.1:" + sink.address().getPort(),
                "--relay-tls-policy", "*=none", "--tls-cert", mxCert.toString(), "--tls-key",
                TestCa.keyOf(mxCert).toString()));
        proxy = new RecordingProxy(mta.address());
        Map<String, String> cf = new LinkedHashMap<>();
        cf.put("relayhost", "[" + OurMta.HOSTNAME + "]:" + proxy.port());
        cf.put("smtp_tls_security_level", "none");
        postfix = new PostfixContainer(Ports.free(), cf, List.of(OurMta.HOSTNAME))
                .withCertificates(ca.issue(PostfixContainer.HOSTNAME), ca.caFile());
        postfix.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) {
            postfix.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (mta != null) {
            mta.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void aBatchComesThroughInPlainText() throws Exception {
        postfix.postconf("smtp_tls_security_level=none");
        Map<String, Sent> batch = sendBatch("plain");
        checkArrived(batch, false);
        assertTrue(proxy.sawPipelinedMailAndRcpt(),
                () -> "Postfix did not pipeline MAIL and RCPT to us: " + proxy.clientReads());
        // What Postfix asked of us on the wire: the 8-bit body and the UTF-8 envelope declared.
        List<String> mails = proxy.clientReads().stream().flatMap(r -> r.lines()).filter(l -> l.startsWith("MAIL FROM:"))
                .toList();
        assertTrue(mails.stream().anyMatch(l -> l.startsWith("MAIL FROM:<sender@client.test> ")
                && l.endsWith(" BODY=8BITMIME")), mails::toString);
        assertTrue(mails.stream().anyMatch(l -> l.startsWith("MAIL FROM:<j") && l.endsWith(" BODY=8BITMIME SMTPUTF8")),
                mails::toString);
    }

    @Test
    void aBatchComesThroughOverStartTlsThatPostfixVerifies() throws Exception {
        postfix.postconf("smtp_tls_security_level=verify", "smtp_tls_CAfile=/certs/ca.pem", "smtp_tls_loglevel=1");
        Map<String, Sent> batch = sendBatch("tls");
        checkArrived(batch, true);
        assertTrue(postfix.getLogs().contains("Verified TLS connection established to " + OurMta.HOSTNAME),
                postfix::getLogs);
    }

    /** What was handed to Postfix for one message. */
    record Sent(String from, List<String> to, byte[] content) {
    }

    private static Map<String, Sent> sendBatch(String tag) throws Exception {
        Map<String, Sent> batch = new LinkedHashMap<>();
        InetSocketAddress in = new InetSocketAddress("127.0.0.1", postfix.port());
        try (SmtpSender s = SmtpSender.connect(in)) {
            String from = "sender@client.test";
            List<String> two = List.of("a1@sink.test", "a2@sink.test");
            send(s, batch, tag + "-plain", from, "", two, TestMessages.plain(tag + "-plain", from, two));
            send(s, batch, tag + "-8bit", from, " BODY=8BITMIME", two, TestMessages.eightBit(tag + "-8bit", from, two));
            String jorg = "jörg@client.test";
            List<String> zoe = List.of("zoë@sink.test");
            send(s, batch, tag + "-utf8", jorg, " BODY=8BITMIME SMTPUTF8", zoe,
                    TestMessages.international(tag + "-utf8", jorg, zoe));
            List<String> one = List.of("big@sink.test");
            send(s, batch, tag + "-10mb", from, "", one, TestMessages.large(tag + "-10mb", from, one, 10_000_000));
            List<String> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> String.format("r%03d@sink.test", i))
                    .toList();
            send(s, batch, tag + "-100rcpt", from, "", hundred,
                    TestMessages.plain(tag + "-100rcpt", from, hundred.subList(0, 3)));
        }
        return batch;
    }

    private static void send(SmtpSender s, Map<String, Sent> batch, String id, String from, String params,
                             List<String> to, byte[] content) throws Exception {
        s.send(from, params, to, content);
        batch.put(id, new Sent(from, to, content));
    }

    /** Every message at the sink, to every recipient, byte for byte below the trace headers. */
    private static void checkArrived(Map<String, Sent> batch, boolean tls) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        while (true) {
            missing.clear();
            for (var e : batch.entrySet()) {
                Set<String> got = new TreeSet<>();
                for (ScriptedSmtpServer.Received r : copiesOf(e.getKey())) {
                    got.addAll(r.rcptTo());
                }
                Set<String> want = new TreeSet<>(e.getValue().to());
                want.removeAll(got);
                if (!want.isEmpty()) {
                    missing.put(e.getKey(), want);
                }
            }
            if (missing.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not at the sink after " + WAIT + ": " + missing + "\nour log:\n" + mta.log()
                        + "\nPostfix's log:\n" + postfix.getLogs());
            }
            Thread.sleep(250);
        }
        Pattern with = Pattern.compile("Received: from " + Pattern.quote(PostfixContainer.HOSTNAME)
                + " [^\\r]*\\r\\n(?:[ \\t][^\\r]*\\r\\n)*?[ \\t]*by " + Pattern.quote(OurMta.HOSTNAME) + " .*?with ("
                + "[A-Z0-9]+)", Pattern.DOTALL);
        for (var e : batch.entrySet()) {
            // Each recipient once: no copy twice at the sink.
            assertEquals(e.getValue().to().size(), copiesOf(e.getKey()).stream().mapToInt(r -> r.rcptTo().size()).sum(),
                    e.getKey());
            for (ScriptedSmtpServer.Received r : copiesOf(e.getKey())) {
                assertEquals(e.getValue().from(), r.mailFrom(), e.getKey());
                TestMessages.assertSentBelowTrace(e.getValue().content(), r.body(), false);
                var m = with.matcher(new String(r.body(), StandardCharsets.UTF_8));
                assertTrue(m.find(), () -> "no Received line of ours from Postfix:\n" + TestMessages.headers(r.body()));
                String protocol = m.group(1);
                assertEquals(tls, protocol.endsWith("S"), () -> e.getKey() + " came with " + protocol);
                assertEquals(e.getKey().endsWith("utf8"), protocol.startsWith("UTF8"), () -> e.getKey() + " " + protocol);
            }
        }
    }

    private static List<ScriptedSmtpServer.Received> copiesOf(String id) {
        List<ScriptedSmtpServer.Received> out = new ArrayList<>();
        for (ScriptedSmtpServer.Received r : sink.received) {
            if (TestMessages.isOf(r.body(), id)) {
                out.add(r);
            }
        }
        return out;
    }
}
