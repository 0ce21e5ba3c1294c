package dev.mta.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mta.server.config.HostPort;
import dev.mta.server.support.MtaProcess;
import dev.mta.server.support.ProcessRunner;
import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import dev.mta.testkit.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mta queue} against a real MTA process relaying to a next hop that defers (451 to RCPT): the listing with
 * the last error, hold, delete (durable across a restart), flush once the next hop takes mail, release; and a
 * stopped MTA's spool read and left byte for byte as it was. Every tool run is a process of its own.
 */
class QueueToolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFER = "451 4.3.0 try later";

    @TempDir
    Path dir;
    private Path spool;
    private int port;
    private Process mta;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void startMta(ScriptedSmtpServer nextHop, String logName) throws Exception {
        // Retries an hour apart: nothing is tried again unless flushed.
        mta = MtaProcess.start(port, spool, dir.resolve(logName), List.of("--shutdown-grace", "1", "--retry-delays",
                "1h", "--transport-map", "*=" + HostPort.format(nextHop.address())));
        started.add(mta);
        MtaProcess.awaitListening(port);
    }

    private void stopMta() throws InterruptedException {
        mta.destroy(); // SIGTERM: a clean stop
        assertTrue(mta.waitFor(30, TimeUnit.SECONDS), "the MTA stops");
    }

    private ProcessRunner.Result tool(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("queue"));
        all.addAll(List.of(args));
        if (!all.contains("--config")) {
            all.addAll(List.of("--spool", spool.toString()));
        }
        // A short-lived JVM: C1 only and the serial collector start it quicker.
        return ProcessRunner.run(MtaProcess.command(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                all), 60);
    }

    private static void assertOneLine(ProcessRunner.Result r, int status, String text) {
        assertEquals(status, r.exitCode(), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
        assertTrue(r.output().startsWith("mta: ") && r.output().contains(text), r.output());
    }

    /** The JSON object the tool printed (its standard output; a note on standard error may come first). */
    private static JsonNode json(ProcessRunner.Result r) throws IOException {
        assertEquals(0, r.exitCode(), r.output());
        String out = r.output().lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON in: " + r.output()));
        return JSON.readTree(out);
    }

    private String send(String... rcpts) throws IOException {
        try (SmtpTestClient c = SmtpTestClient.greeted(new InetSocketAddress("127.0.0.1", port))) {
            c.command("MAIL FROM:<sender@example.net>").assertCode(250);
            for (String r : rcpts) {
                c.command("RCPT TO:<" + r + ">").assertCode(250);
            }
            c.command("DATA").assertCode(354);
            c.send("Subject: queue tool\r\n\r\nhello\r\n.\r\n");
            return TestMta.queueId(c.read());
        }
    }

    /** Polls {@code queue list --json} until its messages satisfy {@code done}; returns them. */
    private JsonNode awaitListing(Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode messages = null;
        while (System.currentTimeMillis() < deadline) {
            messages = json(tool("list", "--json")).get("messages");
            if (done.test(messages)) {
                return messages;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never " + what + "; last listing: " + messages);
    }

    /** Waits until the next hop has been asked for {@code n} recipients (cheaper than asking the tool). */
    private static void awaitRcpts(ScriptedSmtpServer nextHop, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (nextHop.commands.stream().filter(c -> c.startsWith("RCPT")).count() < n) {
            assertTrue(System.currentTimeMillis() < deadline, "the next hop was asked " + nextHop.commands);
            Thread.sleep(50);
        }
    }

    private static boolean allTried(JsonNode messages, int count) {
        if (messages.size() != count) {
            return false;
        }
        for (JsonNode m : messages) {
            for (JsonNode r : m.get("recipients")) {
                if (r.get("attempts").asInt() < 1) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> ids(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.get("id").asText()));
        return out;
    }

    private static List<String> delivered(ScriptedSmtpServer peer) {
        return peer.received.stream().flatMap(r -> r.rcptTo().stream()).sorted().collect(Collectors.toList());
    }

    @Test
    void deferredMailIsListedHeldDeletedFlushedAndReleased() throws Exception {
        spool = dir.resolve("spool");
        port = MtaProcess.freePort();
        try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer()) {
            nextHop.rcptReply = r -> DEFER;
            startMta(nextHop, "mta.log");
            String a = send("a@one.test");
            String b = send("b@two.test");
            String c = send("c@one.test", "c2@one.test");
            awaitRcpts(nextHop, 4);
            awaitListing(m -> allTried(m, 3), "all three tried once");
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(spool.resolve("control.sock"))), "the control socket is 0600");

            ProcessRunner.Result list = tool("list");
            assertEquals(0, list.exitCode(), list.output());
            String said = "(" + HostPort.format(nextHop.address()).replace("127.0.0.1:", "127.0.0.1[127.0.0.1]:")
                    + " said: " + DEFER + ")";
            for (String id : List.of(a, b, c)) {
                assertTrue(list.output().contains("\n" + id + " "), list.output());
            }
            assertEquals(3, list.output().lines().filter(said::equals).count(), "c's two recipients share one:\n"
                    + list.output());
            assertTrue(list.output().contains("sender@example.net"), list.output());
            assertTrue(list.output().contains(" in 3 Requests."), list.output());
            JsonNode listed = json(tool("list", "--json")).get("messages");
            assertEquals(List.of(a, b, c), ids(listed));
            assertEquals("c2@one.test", listed.get(2).get("recipients").get(1).get("address").asText());
            assertTrue(listed.get(0).get("recipients").get(0).get("lastError").asText().endsWith("said: " + DEFER));

            ProcessRunner.Result show = tool("show", b.toLowerCase());
            assertEquals(0, show.exitCode(), show.output());
            assertTrue(show.output().contains("b@two.test: deferred, 1 attempt"), show.output());
            assertTrue(show.output().contains("last: " + said.substring(1, said.length() - 1)), show.output());
            JsonNode summary = json(tool("summary", "--json"));
            assertEquals("TOTAL", summary.get("destinations").get(0).get("destination").asText());
            assertEquals(4, summary.get("destinations").get(0).get("total").asInt());
            assertEquals("one.test", summary.get("destinations").get(1).get("destination").asText());
            assertEquals(3, summary.get("destinations").get(1).get("counts").get(0).asInt(), "younger than 5 minutes");
            String shape = tool("summary").output();
            assertTrue(shape.contains("two.test      1     1"), shape);

            assertEquals("held: " + b, tool("hold", b).output().strip());
            assertTrue(tool("list").output().contains("\n" + b + "! "), "held is marked");
            assertEquals("deleted: " + c, tool("delete", c).output().strip());
            nextHop.rcptReply = r -> "250 2.1.5 ok";
            ProcessRunner.Result flush = tool("flush");
            assertEquals(0, flush.exitCode(), flush.output());
            assertTrue(flush.output().startsWith("flushed: "), flush.output());
            awaitListing(m -> ids(m).equals(List.of(b)), "a delivered");
            assertEquals(List.of("a@one.test"), delivered(nextHop), "a once; b held; c deleted");

            // Delete and hold are durable: after a restart c is still gone and b still held.
            stopMta();
            assertFalse(Files.exists(spool.resolve("control.sock")), "the socket goes with the MTA");
            startMta(nextHop, "again.log");
            JsonNode after = json(tool("list", "--json")).get("messages");
            assertEquals(List.of(b), ids(after));
            assertTrue(after.get(0).get("held").asBoolean());
            assertEquals(0, tool("flush").exitCode());
            Thread.sleep(1000);
            assertEquals(List.of("a@one.test"), delivered(nextHop), "b stays held across the restart, flushed or not");

            // Released, what came due while it was held (the flush) is due at once.
            assertEquals("released: " + b, tool("release", b).output().strip());
            awaitListing(JsonNode::isEmpty, "b delivered");
            assertEquals("Mail queue is empty", tool("list").output().strip());
            assertEquals(List.of("a@one.test", "b@two.test"), delivered(nextHop), "each once, c never");

            assertOneLine(tool("show", c), 1, "no message " + c + " in the queue");
            assertOneLine(tool("release", c), 1, "no message " + c + " in the queue");
            assertOneLine(tool("hold", "not-an-id"), 2, "not a queue id: not-an-id");
            assertOneLine(tool("delete"), 2, "delete takes queue ids, or --all");
            stopMta();
        }
    }

    /** Every file under {@code root} with its bytes. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                all.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return all;
    }

    @Test
    void aStoppedMtasSpoolIsReadAndLeftAsItWas() throws Exception {
        spool = dir.resolve("spool");
        port = MtaProcess.freePort();
        try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer()) {
            nextHop.rcptReply = r -> DEFER;
            startMta(nextHop, "mta.log");
            String d = send("d@one.test", "e@two.test");
            awaitRcpts(nextHop, 2);
            awaitListing(m -> allTried(m, 1), "d tried");
            mta.destroyForcibly(); // a crash: the socket file stays behind
            assertTrue(mta.waitFor(20, TimeUnit.SECONDS));
            assertTrue(Files.exists(spool.resolve("control.sock")), "a stale socket");
            Map<String, byte[]> before = files(spool);

            ProcessRunner.Result list = tool("list");
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().contains("no MTA is running on spool " + spool), list.output());
            assertTrue(list.output().contains("\n" + d + " "), list.output());
            assertTrue(list.output().contains("said: " + DEFER + ")\n"), list.output());
            JsonNode listed = json(tool("list", "--json")).get("messages");
            assertEquals(List.of(d), ids(listed));
            assertEquals(1, listed.get(0).get("recipients").get(1).get("attempts").asInt());
            JsonNode shown = json(tool("show", d, "--json"));
            assertEquals("client.test", shown.get("details").get("helo").asText());
            assertEquals(List.of("d@one.test", "e@two.test"), JSON.convertValue(shown.get("details").get("recipients"),
                    List.class));
            assertTrue(tool("summary").output().contains("TOTAL      2     2"));
            Path config = Files.writeString(dir.resolve("mta.properties"), "spool = " + spool + "\n");
            assertEquals(List.of(d), ids(json(tool("list", "--json", "--config", config.toString())).get("messages")),
                    "the spool from the MTA's --config file");

            for (List<String> change : List.of(List.of("flush"), List.of("flush", d), List.of("delete", d),
                    List.of("delete", "--all"), List.of("hold", d), List.of("release", d))) {
                assertOneLine(tool(change.toArray(new String[0])), 1, "no MTA is running on spool " + spool);
            }
            ProcessRunner.Result missing = tool("show", "00000000000000AB");
            assertEquals(1, missing.exitCode(), missing.output());
            assertTrue(missing.output().endsWith("\nmta: no message 00000000000000AB in the queue\n"), missing.output());
            Map<String, byte[]> after = files(spool);
            assertEquals(before.keySet(), after.keySet(), "no file made or removed");
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name), after.get(name), name + " unchanged");
            }

            // The next start replaces the stale socket, and the tool talks to the MTA again.
            startMta(nextHop, "again.log");
            ProcessRunner.Result live = tool("list");
            assertFalse(live.output().contains("no MTA is running"), live.output());
            assertTrue(live.output().contains("\n" + d + " "), live.output());
            stopMta();
        }
    }
}
