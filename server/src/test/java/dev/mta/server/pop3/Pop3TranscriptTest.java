package dev.mta.server.pop3;

import dev.mta.testkit.LeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 1939's commands over a real socket on loopback, reply by reply. */
@ExtendWith(LeakGuard.class)
class Pop3TranscriptTest {
    @TempDir
    Path dir;
    private Pop3Fixture pop3;

    private static final String FIRST = "From: a@example.org\nSubject: one\n\nhello\n.dot line\n..two dots\nlast\n";
    private static final String SECOND = "Subject: two\r\n\r\nCRLF already\r\n";

    @BeforeEach
    void start() throws Exception {
        pop3 = new Pop3Fixture(dir);
    }

    @AfterEach
    void stop() {
        pop3.close();
    }

    /** The size POP3 counts: LF line ends as CRLF. */
    private static long crlfSize(String s) {
        return s.replace("\r\n", "\n").replace("\n", "\r\n").length();
    }

    @Test
    void authorizationState() throws Exception {
        try (Pop3Client c = Pop3Client.connect(pop3.address())) {
            String greeting = c.line();
            assertTrue(greeting.startsWith("+OK "), greeting);
            assertFalse(greeting.contains("<"), "no APOP timestamp: " + greeting);
            assertTrue(c.cmd("STAT").startsWith("-ERR"), "STAT before login");
            assertTrue(c.cmd("NOOP").startsWith("-ERR"), "NOOP is a TRANSACTION command");
            assertTrue(c.cmd("XYZZY").startsWith("-ERR"));
            assertTrue(c.cmd("PASS " + Pop3Fixture.PASSWORD).startsWith("-ERR"), "PASS without USER");
            assertTrue(c.cmd("APOP alice c4c9334bac560ecc979e58001b3e22fb").startsWith("-ERR"));
            assertTrue(c.cmd("USER " + "x".repeat(300)).startsWith("-ERR"), "over-long line");
            assertTrue(c.cmd("CAPA").startsWith("+OK"));
            List<String> capa = c.multiLine();
            for (String cap : List.of("TOP", "USER", "SASL PLAIN", "STLS", "UIDL", "RESP-CODES", "AUTH-RESP-CODE",
                    "PIPELINING")) {
                assertTrue(capa.contains(cap), cap + " in " + capa);
            }
            assertTrue(capa.stream().anyMatch(l -> l.startsWith("IMPLEMENTATION ")), capa.toString());
            assertTrue(c.cmd("AUTH").startsWith("+OK"));
            assertEquals(List.of("PLAIN"), c.multiLine());
            assertEquals("+OK Bye", c.cmd("QUIT"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aMissingMessageIsARoutineAnswerWhileMisuseEndsTheSession() throws Exception {
        pop3.deliver("alice", SECOND);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            assertTrue(c.cmd("USER alice").startsWith("+OK"));
            assertTrue(c.cmd("PASS " + Pop3Fixture.PASSWORD).startsWith("+OK"));
            assertTrue(c.cmd("DELE 1").startsWith("+OK"));
            for (int i = 0; i < 30; i++) { // a client may ask for what is not there as often as it likes
                assertTrue(c.cmd(i % 2 == 0 ? "RETR 999" : "LIST 1").startsWith("-ERR"));
            }
            assertTrue(c.cmd("NOOP").startsWith("+OK"));
            String last = "";
            for (int i = 0; i < 20 && !last.contains("Too many"); i++) {
                last = c.cmd("XYZZY");
            }
            assertEquals("-ERR Too many bad commands, closing", last);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void statListUidlCountCrlfLineEnds() throws Exception {
        pop3.deliver("alice", FIRST);
        pop3.deliver("alice", SECOND);
        long total = crlfSize(FIRST) + crlfSize(SECOND);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            assertEquals("+OK Send PASS", c.cmd("user alice"));
            assertTrue(c.cmd("pass " + Pop3Fixture.PASSWORD).startsWith("+OK"));
            assertEquals("+OK 2 " + total, c.cmd("STAT"));
            assertTrue(c.cmd("LIST").startsWith("+OK"));
            assertEquals(List.of("1 " + crlfSize(FIRST), "2 " + crlfSize(SECOND)), c.multiLine());
            assertEquals("+OK 2 " + crlfSize(SECOND), c.cmd("LIST 2"));
            assertTrue(c.cmd("LIST 3").startsWith("-ERR"));
            assertTrue(c.cmd("UIDL").startsWith("+OK"));
            List<String> uids = c.multiLine();
            assertEquals(2, uids.size());
            assertTrue(uids.get(0).matches("1 [\\x21-\\x7e]{1,70}"), uids.toString());
            assertEquals("+OK " + uids.get(1), c.cmd("UIDL 2"));
            assertTrue(c.cmd("UIDL 0").startsWith("-ERR"));
            assertEquals("+OK", c.cmd("NOOP"));
            assertTrue(c.cmd("USER bob").startsWith("-ERR"), "USER in TRANSACTION");
            assertTrue(c.cmd("QUIT").startsWith("+OK"));
        }
    }

    @Test
    void retrSendsTheMessageWithCrlfAndStuffedDots() throws Exception {
        pop3.deliver("alice", FIRST);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            c.login("alice");
            assertEquals("+OK " + crlfSize(FIRST) + " octets", c.cmd("RETR 1"));
            assertEquals(List.of("From: a@example.org", "Subject: one", "", "hello", "..dot line", "...two dots", "last"),
                    c.multiLine());
            assertTrue(c.cmd("RETR 2").startsWith("-ERR"));
            assertTrue(c.cmd("RETR x").startsWith("-ERR"));
        }
    }

    @Test
    void topSendsHeadersTheBlankLineAndNLines() throws Exception {
        pop3.deliver("alice", FIRST);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            c.login("alice");
            assertTrue(c.cmd("TOP 1 0").startsWith("+OK"));
            assertEquals(List.of("From: a@example.org", "Subject: one", ""), c.multiLine());
            assertTrue(c.cmd("TOP 1 2").startsWith("+OK"));
            assertEquals(List.of("From: a@example.org", "Subject: one", "", "hello", "..dot line"), c.multiLine());
            assertTrue(c.cmd("TOP 1 100").startsWith("+OK"));
            assertEquals(7, c.multiLine().size());
            assertTrue(c.cmd("TOP 1").startsWith("-ERR"));
            assertTrue(c.cmd("TOP 9 1").startsWith("-ERR"));
        }
    }

    @Test
    void deletedMessagesAreGoneFromTheSessionAndRsetBringsThemBack() throws Exception {
        pop3.deliver("alice", FIRST);
        pop3.deliver("alice", SECOND);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            c.login("alice");
            assertTrue(c.cmd("DELE 1").startsWith("+OK"));
            for (String cmd : List.of("RETR 1", "LIST 1", "TOP 1 0", "DELE 1", "UIDL 1")) {
                assertTrue(c.cmd(cmd).startsWith("-ERR"), cmd + " of a deleted message");
            }
            assertEquals("+OK 1 " + crlfSize(SECOND), c.cmd("STAT"));
            assertTrue(c.cmd("LIST").startsWith("+OK"));
            assertEquals(List.of("2 " + crlfSize(SECOND)), c.multiLine(), "numbers stay as they were");
            assertTrue(c.cmd("RSET").startsWith("+OK"));
            assertEquals("+OK 2 " + (crlfSize(FIRST) + crlfSize(SECOND)), c.cmd("STAT"));
            assertTrue(c.cmd("RETR 1").startsWith("+OK"));
            c.multiLine();
        }
        assertEquals(2, pop3.files("alice").size(), "no QUIT: nothing removed");
    }

    @Test
    void deleAndQuitRemoveTheFiles() throws Exception {
        Path first = pop3.deliver("alice", FIRST);
        Path second = pop3.deliver("alice", SECOND);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            c.login("alice");
            assertTrue(c.cmd("DELE 2").startsWith("+OK"));
            assertTrue(c.cmd("QUIT").startsWith("+OK"));
            assertTrue(c.closedByServer());
        }
        assertTrue(Files.exists(first));
        assertFalse(Files.exists(second));
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        pop3.deliver("alice", FIRST);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            c.send("USER alice\r\nPASS " + Pop3Fixture.PASSWORD + "\r\nSTAT\r\nRETR 1\r\nUIDL 1\r\nTOP 1 0\r\nNOOP\r\n"
                    + "DELE 1\r\nQUIT\r\n");
            assertTrue(c.line().startsWith("+OK"));
            assertTrue(c.line().startsWith("+OK Logged in"));
            assertEquals("+OK 1 " + crlfSize(FIRST), c.line());
            assertTrue(c.line().startsWith("+OK " + crlfSize(FIRST)));
            assertEquals(7, c.multiLine().size());
            assertTrue(c.line().startsWith("+OK 1 "));
            assertTrue(c.line().startsWith("+OK"));
            assertEquals(3, c.multiLine().size());
            assertEquals("+OK", c.line());
            assertTrue(c.line().startsWith("+OK"));
            assertTrue(c.line().startsWith("+OK Bye"));
            assertTrue(c.closedByServer());
        }
        assertTrue(pop3.files("alice").isEmpty());
    }

    @Test
    void aLargeMessageStreamsWhole() throws Exception {
        StringBuilder b = new StringBuilder("Subject: big\n\n");
        for (int i = 0; b.length() < 3 * 1024 * 1024; i++) {
            b.append(i % 50 == 0 ? "." : "").append("line ").append(i).append(" of a large message\n");
        }
        String big = b.toString();
        pop3.deliver("alice", big);
        try (Pop3Client c = Pop3Client.greeted(pop3.address())) {
            c.login("alice");
            assertEquals("+OK " + crlfSize(big) + " octets", c.cmd("RETR 1"));
            List<String> lines = c.multiLine();
            List<String> expected = big.lines().map(l -> l.startsWith(".") ? "." + l : l).toList();
            assertEquals(expected, lines);
            assertEquals("+OK", c.cmd("NOOP"));
        }
    }
}
