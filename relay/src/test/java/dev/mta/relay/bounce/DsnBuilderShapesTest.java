package dev.mta.relay.bounce;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.reply.EnhancedStatus;
import dev.mta.queue.model.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DSN's two shapes (RFC 3464): the original whole as message/rfc822, or its headers as text/rfc822-headers. */
class DsnBuilderShapesTest {
    private static final String HEADERS = "From: <alice@sender.example>\r\nSubject: hi\r\nMessage-ID: <m1@sender.example>\r\n";
    private static final String ORIGINAL = HEADERS + "\r\nline one\r\n--looks-like-a-boundary\r\nline three\r\n";
    private static final List<FailedRecipient> FAILED = List.of(new FailedRecipient(
            new MailPath("bob", "dest.example", false), Outcome.failed(EnhancedStatus.of(5, 1, 1), "no such user"), false));

    private static String build(DsnBuilder.Notice notice, DsnBuilder.Returned returned) {
        return new String(DsnBuilder.build(notice, "mta.test", "alice@sender.example", "0000ABCD", ZonedDateTime.now(),
                FAILED, returned), StandardCharsets.UTF_8);
    }

    @Test
    void aSmallMessageComesBackWholeAsMessageRfc822() {
        String dsn = build(DsnBuilder.Notice.BOUNCE, DsnBuilder.Returned.whole(ORIGINAL.getBytes(StandardCharsets.US_ASCII)));
        List<String> parts = parts(dsn);
        assertEquals(3, parts.size(), dsn);
        assertTrue(parts.get(0).contains("Content-Type: text/plain"), parts.get(0));
        assertTrue(parts.get(0).contains("It is attached below.\r\n"), parts.get(0));
        assertTrue(parts.get(1).contains("Content-Type: message/delivery-status"), parts.get(1));
        assertEquals("Content-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n\r\n" + ORIGINAL,
                parts.get(2), "the third part is the original, byte for byte");
        assertFalse(dsn.contains("text/rfc822-headers"), dsn);
        assertFalse(dsn.contains("Content-Transfer-Encoding"), "7-bit content needs none: " + dsn);
        assertWellFormed(dsn);
    }

    @Test
    void beyondTheLimitOnlyTheHeadersComeBackAsTextRfc822Headers() {
        String dsn = build(DsnBuilder.Notice.BOUNCE, DsnBuilder.Returned.headersOnly(HEADERS));
        List<String> parts = parts(dsn);
        assertEquals(3, parts.size(), dsn);
        assertTrue(parts.get(0).contains("It is attached below (headers only).\r\n"), parts.get(0));
        assertEquals("Content-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n"
                + HEADERS, parts.get(2));
        assertFalse(dsn.contains("message/rfc822"), dsn);
        assertFalse(dsn.contains("line one"), "no body: " + dsn);
        assertWellFormed(dsn);
    }

    @Test
    void anEightBitOriginalIsDeclaredAndAMissingFinalCrlfIsAdded() {
        byte[] original = (HEADERS + "\r\nGr\u00fc\u00dfe").getBytes(StandardCharsets.UTF_8);
        DsnBuilder.Returned whole = DsnBuilder.Returned.whole(original);
        assertTrue(whole.isEightBit());
        String dsn = build(DsnBuilder.Notice.BOUNCE, whole);
        assertTrue(dsn.contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"), dsn);
        assertTrue(dsn.contains("Gr\u00fc\u00dfe\r\n\r\n--"), dsn);
        assertWellFormed(dsn);
        assertFalse(DsnBuilder.Returned.whole(ORIGINAL.getBytes(StandardCharsets.US_ASCII)).isEightBit());
    }

    @Test
    void bouncesAndDoubleBounceNoticesAreMarkedAsOursAndToldApart() {
        String bounce = build(DsnBuilder.Notice.BOUNCE, DsnBuilder.Returned.headersOnly(HEADERS));
        assertEquals(BounceMarks.Kind.OUR_DSN, BounceMarks.of(headerSection(bounce), "mta.test"));
        assertEquals(BounceMarks.Kind.OUR_DSN, BounceMarks.of(headerSection(bounce), "MTA.test"));
        assertEquals(BounceMarks.Kind.FOREIGN, BounceMarks.of(headerSection(bounce), "other.test"),
                "another host's DSN, relayed through us, is not ours");

        String notice = build(DsnBuilder.Notice.DOUBLE_BOUNCE, DsnBuilder.Returned.headersOnly(headerSection(bounce)));
        assertEquals(BounceMarks.Kind.OUR_DOUBLE_BOUNCE, BounceMarks.of(headerSection(notice), "mta.test"));
        assertTrue(notice.contains("Subject: Undelivered Bounce (double bounce)\r\n"), notice);
        assertTrue(notice.contains("Content-Type: text/rfc822-headers\r\n\r\n" + headerSection(bounce)), notice);
        assertWellFormed(notice);

        assertEquals(BounceMarks.Kind.FOREIGN, BounceMarks.of(HEADERS, "mta.test"), "a client's mail");
        // A client's null-sender mail that copies our Message-ID but is no report is not ours either.
        String copied = "Message-ID: <x.dsn@mta.test>\r\nAuto-Submitted: auto-replied\r\nContent-Type: text/plain\r\n";
        assertEquals(BounceMarks.Kind.FOREIGN, BounceMarks.of(copied, "mta.test"));
        assertEquals("multipart/report; report-type=delivery-status; boundary=\"b\"",
                BounceMarks.field("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"b\"\r\n",
                        "content-type"), "folded fields are unfolded");
    }

    /** The header section of a whole message. */
    private static String headerSection(String message) {
        return message.substring(0, message.indexOf("\r\n\r\n") + 2);
    }

    /** The body parts between the multipart's delimiters, each with its headers. */
    private static List<String> parts(String dsn) {
        Matcher m = Pattern.compile("boundary=\"([^\"]+)\"").matcher(dsn);
        assertTrue(m.find(), dsn);
        String b = m.group(1);
        String body = dsn.substring(dsn.indexOf("\r\n\r\n") + 4);
        int close = body.indexOf("\r\n--" + b + "--\r\n");
        assertTrue(close > 0, "the close delimiter: " + dsn);
        assertTrue(body.endsWith("\r\n--" + b + "--\r\n"), "nothing after the close delimiter");
        String[] pieces = body.substring(0, close).split("\r\n--" + Pattern.quote(b) + "\r\n", -1);
        return List.of(pieces).subList(1, pieces.length);
    }

    /** CRLF lines only, none longer than 1000 octets with its CRLF, the boundary at most 70 characters. */
    private static void assertWellFormed(String dsn) {
        assertFalse(dsn.replace("\r\n", "").contains("\n") || dsn.replace("\r\n", "").contains("\r"), "CRLF only");
        for (String line : dsn.split("\r\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 998, line);
        }
        Matcher m = Pattern.compile("boundary=\"([^\"]+)\"").matcher(dsn);
        assertTrue(m.find());
        assertTrue(m.group(1).length() <= 70, m.group(1));
    }
}
