package dev.mta.relay.transport.local;

import dev.mta.mailbox.aliases.AliasFile;
import dev.mta.mailbox.directory.LocalDirectory;
import dev.mta.mailbox.maildir.MailRoot;
import dev.mta.mailbox.maildir.MaildirWriter;
import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Outcome;
import dev.mta.relay.support.TestDeliveries;
import dev.mta.relay.transport.Delivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local delivery without a queue: real Maildirs in a temporary folder, expansions caught by a recording forwarder. */
class LocalTransportTest {
    @TempDir
    Path dir;

    private record Forwarded(MailPath sender, List<MailPath> recipients, String prefix) {
    }

    private final List<Forwarded> forwarded = new ArrayList<>();
    private final Map<String, String> users = Map.of("alice", "alice", "bob", "bob");

    private LocalTransport transport(String aliases, long quota) {
        LocalDirectory directory = new LocalDirectory(n -> users.get(LocalDirectory.key(n)),
                AliasFile.parse(Path.of("aliases"), aliases));
        Forwarder f = (sender, params, rcpts, prefix, content) -> {
            forwarded.add(new Forwarded(sender, rcpts, new String(prefix, StandardCharsets.UTF_8)));
            return "FWD" + forwarded.size();
        };
        return new LocalTransport(directory, new MaildirWriter(new MailRoot(dir), "mx.example.net"), f, quota,
                d -> d.equals("mx.example.net") ? "example.net" : d, ForkJoinPool.commonPool());
    }

    private static Delivery delivery(String body, String... rcpts) {
        return TestDeliveries.of("sender@example.org", "", body.getBytes(StandardCharsets.US_ASCII), rcpts);
    }

    private List<String> mailbox(String user) throws Exception {
        Path n = dir.resolve(user).resolve("Maildir/new");
        if (!Files.isDirectory(n)) {
            return List.of();
        }
        try (var s = Files.list(n)) {
            return s.sorted().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.US_ASCII);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void aUserGetsTheMessageWithReturnPathAndDeliveredTo() throws Exception {
        List<Outcome> o = transport("postmaster: alice\n", 0)
                .deliver(delivery("Subject: x\r\n\r\nhello\r\n", "Alice@example.net")).get();
        assertEquals(Outcome.Kind.DELIVERED, o.get(0).kind());
        assertEquals(List.of("Return-Path: <sender@example.org>\nDelivered-To: Alice@example.net\nSubject: x\n\nhello\n"),
                mailbox("alice"));
    }

    @Test
    void anAliasIsQueuedAgainToItsTargetsFromItsOwner() throws Exception {
        List<Outcome> o = transport("team: alice, bob, carol@elsewhere.example, Alice\nowner-team: alice\n", 0)
                .deliver(delivery("Subject: x\r\n\r\nhello\r\n", "team@example.net")).get();
        assertEquals(Outcome.Kind.DELIVERED, o.get(0).kind());
        assertTrue(o.get(0).text().contains("queued as FWD1"), o.get(0).text());
        assertEquals(1, forwarded.size());
        Forwarded f = forwarded.get(0);
        assertEquals("owner-team@example.net", f.sender().address());
        assertEquals(List.of("alice@example.net", "bob@example.net", "carol@elsewhere.example"),
                f.recipients().stream().map(MailPath::address).toList());
        assertEquals("Delivered-To: team@example.net\r\n", f.prefix());
        assertEquals(List.of(), mailbox("alice"));
    }

    @Test
    void ourOwnPostmastersTargetsStayInALocalDomain() throws Exception {
        List<Outcome> o = transport("postmaster: alice, bob\n", 0)
                .deliver(delivery("\r\nhi\r\n", "Postmaster@mx.example.net")).get();
        assertEquals(Outcome.Kind.DELIVERED, o.get(0).kind());
        assertEquals(List.of("alice@example.net", "bob@example.net"),
                forwarded.get(0).recipients().stream().map(MailPath::address).toList());
    }

    @Test
    void anAliasNamingItselfKeepsACopyInTheUsersMailbox() throws Exception {
        List<Outcome> o = transport("bob: bob, alice\n", 0).deliver(delivery("\r\nhi\r\n", "bob@example.net")).get();
        assertEquals(Outcome.Kind.DELIVERED, o.get(0).kind());
        assertEquals(1, mailbox("bob").size());
        assertEquals(List.of("alice@example.net"), forwarded.get(0).recipients().stream().map(MailPath::address).toList());
        assertEquals("sender@example.org", forwarded.get(0).sender().address()); // no owner-bob: the sender stays
    }

    @Test
    void aSelfNamingAliasWithoutItsUserStillReachesTheOthers() throws Exception {
        Outcome o = transport("self: self, bob\n", 0).deliver(delivery("\r\nhi\r\n", "self@example.net")).get().get(0);
        assertEquals(Outcome.Kind.DELIVERED, o.kind());
        assertTrue(o.text().contains("left out"), o.text());
        assertEquals(List.of("bob@example.net"), forwarded.get(0).recipients().stream().map(MailPath::address).toList());
        Outcome alone = transport("lonely: lonely\n", 0).deliver(delivery("\r\nhi\r\n", "lonely@example.net")).get().get(0);
        assertEquals(Outcome.Kind.FAILED, alone.kind());
    }

    @Test
    void aMessageThatWasDeliveredHereBeforeIsALoop() throws Exception {
        List<Outcome> o = transport("team: alice\n", 0)
                .deliver(delivery("Delivered-To: team@EXAMPLE.net\r\nSubject: x\r\n\r\nhi\r\n", "team@example.net")).get();
        assertEquals(Outcome.Kind.FAILED, o.get(0).kind());
        assertEquals("5.4.6", o.get(0).status().toString());
        assertTrue(forwarded.isEmpty());
    }

    @Test
    void overQuotaDefersWith422AndAnUnknownUserFails() throws Exception {
        LocalTransport t = transport("x: alice\n", 250);
        assertEquals(Outcome.Kind.DELIVERED, t.deliver(delivery("\r\nsmall\r\n", "bob@example.net")).get().get(0).kind());
        Outcome full = t.deliver(delivery("\r\n" + "y".repeat(150) + "\r\n", "bob@example.net")).get().get(0);
        assertEquals(Outcome.Kind.DEFERRED, full.kind());
        assertEquals("4.2.2", full.status().toString());
        Outcome never = t.deliver(delivery("\r\n" + "z".repeat(300) + "\r\n", "alice@example.net")).get().get(0);
        assertEquals(Outcome.Kind.FAILED, never.kind(), "larger than the whole quota: no room made would help");
        assertEquals("5.2.2", never.status().toString());
        Outcome gone = t.deliver(delivery("\r\nhi\r\n", "carol@example.net")).get().get(0);
        assertEquals(Outcome.Kind.FAILED, gone.kind());
        assertEquals("5.1.1", gone.status().toString());
    }
}
