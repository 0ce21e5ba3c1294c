package dev.mta.server.cli;

import dev.mta.server.control.MessageView;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary's age buckets (as qshape's) and rows, and the listing's text (as mailq's). */
class QueueShapeTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private static MessageView message(String id, Duration age, boolean held, MessageView.Recipient... rcpts) {
        return new MessageView(id, NOW.minus(age), 2048, "s@example.net", held, List.of(rcpts), null);
    }

    private static MessageView.Recipient rcpt(String address, String lastError) {
        return new MessageView.Recipient(address, lastError == null ? 0 : 1, null, lastError);
    }

    @Test
    void bucketsAreUpToEachBoundInMinutes() {
        assertEquals(0, QueueShape.bucket(Duration.ZERO));
        assertEquals(0, QueueShape.bucket(Duration.ofMinutes(5)));
        assertEquals(1, QueueShape.bucket(Duration.ofMinutes(5).plusSeconds(1)));
        assertEquals(8, QueueShape.bucket(Duration.ofMinutes(1280)));
        assertEquals(9, QueueShape.bucket(Duration.ofMinutes(1281)));
        assertEquals(0, QueueShape.bucket(Duration.ofMinutes(-3)), "a clock step back counts as new");
    }

    @Test
    void destinationsByRecipientsThenName() {
        QueueShape shape = QueueShape.of(List.of(
                message("A", Duration.ofMinutes(2), false, rcpt("x@b.example", null), rcpt("y@B.example", null)),
                message("B", Duration.ofMinutes(30), true, rcpt("z@a.example", null)),
                message("C", Duration.ofDays(2), false, rcpt("w@c.example", null), rcpt("v@b.example", null))), NOW);
        List<QueueShape.Row> rows = shape.rows();
        assertEquals(List.of("TOTAL", "b.example", "a.example", "c.example"),
                rows.stream().map(QueueShape.Row::destination).toList());
        assertEquals("[2, 0, 0, 1, 0, 0, 0, 0, 0, 2]", Arrays.toString(rows.get(0).counts()));
        assertEquals(5, rows.get(0).total());
        assertEquals("[2, 0, 0, 0, 0, 0, 0, 0, 0, 1]", Arrays.toString(rows.get(1).counts()));
        StringWriter text = new StringWriter();
        shape.printText(new PrintWriter(text, true));
        assertEquals(String.join("\n",
                "               T     5    10    20    40    80   160   320   640  1280 1280+",
                "    TOTAL      5     2     0     0     1     0     0     0     0     0     2",
                "b.example      3     2     0     0     0     0     0     0     0     0     1",
                "a.example      1     0     0     0     1     0     0     0     0     0     0",
                "c.example      1     0     0     0     0     0     0     0     0     0     1", ""),
                text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void theListingIsShapedAsMailq() {
        StringWriter text = new StringWriter();
        ListingText.print(List.of(
                message("1A2272D803E410C8", Duration.ofMinutes(2), false, rcpt("x@b.example", "mx[192.0.2.1]:25 said: 451 4.3.0 later"),
                        rcpt("y@b.example", "mx[192.0.2.1]:25 said: 451 4.3.0 later"), rcpt("z@c.example", null)),
                new MessageView("1A2272D803E410C9", NOW, 100, "", true, List.of(rcpt("w@d.example", null)), null)),
                ZoneOffset.UTC, new PrintWriter(text, true));
        assertEquals(String.join("\n",
                "-Queue ID-------- --Size-- ----Arrival Time----  -Sender/Recipient-------",
                "1A2272D803E410C8      2048 Sat Mar 01 11:58:00   s@example.net",
                "                                                 z@c.example",
                "(mx[192.0.2.1]:25 said: 451 4.3.0 later)",
                "                                                 x@b.example",
                "                                                 y@b.example",
                "",
                "1A2272D803E410C9!      100 Sat Mar 01 12:00:00   MAILER-DAEMON",
                "                                                 w@d.example",
                "",
                "-- 3 Kbytes in 2 Requests.", ""), text.toString().replace(System.lineSeparator(), "\n"));
        StringWriter empty = new StringWriter();
        ListingText.print(List.of(), ZoneOffset.UTC, new PrintWriter(empty, true));
        assertEquals("Mail queue is empty", empty.toString().strip());
    }
}
