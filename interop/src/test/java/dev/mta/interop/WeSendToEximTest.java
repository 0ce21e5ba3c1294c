package dev.mta.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This MTA relaying into Exim, which delivers to Maildirs in its container; the files read back byte for byte. */
@Tag("slow")
@Tag("containers")
class WeSendToEximTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static OurMta mta;
    private static EximContainer exim;

    @BeforeAll
    static void start() throws Exception {
        Docker.require();
        exim = new EximContainer(Ports.free());
        exim.start();
        mta = OurMta.start(dir, Ports.free(), List.of("--transport-map",
                EximContainer.DOMAIN + "=127.0.0.1:" + exim.port(), "--relay-tls-policy", "*=may"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (mta != null) {
            mta.close();
        }
        if (exim != null) {
            exim.stop();
        }
    }

    @Test
    void messagesReachEximMaildirs() throws Exception {
        String from = "sender@client.test";
        List<String> alice = List.of("alice@" + EximContainer.DOMAIN);
        List<String> both = List.of("alice@" + EximContainer.DOMAIN, "bob@" + EximContainer.DOMAIN);
        byte[] plain = TestMessages.plain("ex-plain", from, both);
        byte[] eightBit = TestMessages.eightBit("ex-8bit", from, alice);
        byte[] large = TestMessages.large("ex-large", from, alice, 1_000_000);
        try (SmtpSender s = SmtpSender.connect(mta.address())) {
            s.send(from, "", both, plain);
            s.send(from, " BODY=8BITMIME", alice, eightBit);
            s.send(from, "", alice, large);
        }
        List<byte[]> aliceBox = Maildirs.await(() -> exim.maildir("alice"), 3, WAIT, this::logs);
        List<byte[]> bobBox = Maildirs.await(() -> exim.maildir("bob"), 1, WAIT, this::logs);
        for (var e : Map.of("ex-plain", plain, "ex-8bit", eightBit, "ex-large", large).entrySet()) {
            byte[] file = only(aliceBox, e.getKey());
            TestMessages.assertSentBelowTrace(e.getValue(), file, true);
            String head = TestMessages.headers(file);
            assertTrue(head.contains("Envelope-to: alice@" + EximContainer.DOMAIN), head);
            assertTrue(head.contains("Return-path: <" + from + ">"), head);
            assertTrue(head.contains("(helo=" + OurMta.HOSTNAME + ")"), head); // Exim's Received line, from us
            assertTrue(head.contains("with esmtps"), head); // over STARTTLS: Exim offers it, our may level takes it
        }
        TestMessages.assertSentBelowTrace(plain, only(bobBox, "ex-plain"), true);
        assertTrue(exim.mainLog().contains("<= " + from), exim::mainLog);
    }

    private static byte[] only(List<byte[]> box, String id) {
        List<byte[]> of = box.stream().filter(b -> TestMessages.isOf(b, id)).toList();
        assertEquals(1, of.size(), () -> id + ": " + of.size() + " copies in "
                + box.stream().map(b -> TestMessages.headers(b)).toList());
        return of.get(0);
    }

    private String logs() {
        return "our log:\n" + mta.log() + "\nExim's log:\n" + exim.mainLog();
    }
}
