package dev.mta.mailauth.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing Authentication-Results (RFC 8601 2.2): the layout, quoting, folding, and what never gets through. */
class AuthResultsBuilderTest {

    @Test
    void spfDkimDmarc() {
        String field = new AuthResultsBuilder("mx.example.net")
                .add(MethodResult.spf(AuthResult.PASS, "a@b"))
                .add(MethodResult.dkim(AuthResult.PASS, "x", "y", "abcdefghijklmnop"))
                .add(MethodResult.dmarc(AuthResult.PASS, "x"))
                .field();
        assertEquals("Authentication-Results: mx.example.net;\r\n"
                + "\tspf=pass smtp.mailfrom=a@b;\r\n"
                + "\tdkim=pass header.d=x header.s=y header.b=abcdefgh;\r\n"
                + "\tdmarc=pass header.from=x\r\n", field);
    }

    @Test
    void noResultsIsNone() {
        assertEquals("Authentication-Results: mx.example.net; none\r\n",
                new AuthResultsBuilder("mx.example.net").field());
    }

    @Test
    void valuesThatAreNoTokenAreQuoted() {
        String value = new AuthResultsBuilder("mx.example.net")
                .add(MethodResult.dkim(AuthResult.FAIL, "example.com", "sel", "ab/cd+e=").withReason("bad \"sig\""))
                .value();
        assertEquals("mx.example.net;\r\n\tdkim=fail reason=\"bad \\\"sig\\\"\" header.d=example.com header.s=sel"
                + "\r\n\theader.b=\"ab/cd+e=\"", value);
    }

    @Test
    void addressesStayAsTheyAre() {
        assertEquals("mx.example.net;\r\n\tspf=pass smtp.mailfrom=first.last+tag@example.com",
                new AuthResultsBuilder("mx.example.net")
                        .add(MethodResult.spf(AuthResult.PASS, "first.last+tag@example.com")).value());
        assertEquals("mx.example.net;\r\n\tspf=pass smtp.mailfrom=\"a b\"@example.com",
                new AuthResultsBuilder("mx.example.net")
                        .add(MethodResult.spf(AuthResult.PASS, "\"a b\"@example.com")).value());
        // An address whose local part is neither a dot-atom nor quoted is quoted whole.
        assertEquals("mx.example.net;\r\n\tspf=pass smtp.mailfrom=\"a b@example.com\"",
                new AuthResultsBuilder("mx.example.net")
                        .add(MethodResult.spf(AuthResult.PASS, "a b@example.com")).value());
    }

    @Test
    void commentsEscapeTheirParentheses() {
        assertEquals("mx.example.net;\r\n\tdmarc=fail (p=reject \\(really\\) \\\\) header.from=example.com",
                new AuthResultsBuilder("mx.example.net")
                        .add(MethodResult.dmarc(AuthResult.FAIL, "example.com").withComment("p=reject (really) \\"))
                        .value());
    }

    @Test
    void quotedValuesGoLast() {
        String value = new AuthResultsBuilder("mx.example.net")
                .add(MethodResult.of("dkim", AuthResult.PASS).with("header", "b", "a/b").with("header", "d", "x"))
                .value();
        assertEquals("mx.example.net;\r\n\tdkim=pass header.d=x header.b=\"a/b\"", value);
    }

    @Test
    void noLineBreakGetsThroughAValue() {
        String field = new AuthResultsBuilder("mx.example.net\r\nX-Injected: 1")
                .add(MethodResult.spf(AuthResult.PASS, "a@b.example\r\nX-Injected: 2"))
                .add(MethodResult.dmarc(AuthResult.FAIL, "example.com\n\rX-Injected: 3")
                        .withComment("\r\n)X-Injected: 4").withReason("\nX-Injected: 5"))
                .field();
        String[] lines = field.split("\r\n", -1);
        assertEquals("", lines[lines.length - 1]);
        for (int i = 1; i < lines.length - 1; i++) {
            assertTrue(lines[i].startsWith("\t"), field);
        }
        String unfolded = field.substring(0, field.length() - 2).replace("\r\n\t", " ");
        assertFalse(unfolded.contains("\r") || unfolded.contains("\n"), field);
    }

    @Test
    void longResultsFoldUnder78Characters() {
        MethodResult dkim = MethodResult.of("dkim", AuthResult.PASS)
                .with("header", "d", "a-rather-long-subdomain.of-a-long-organizational-domain.example")
                .with("header", "i", "someone.with.a.long.name@a-rather-long-subdomain.example")
                .with("header", "s", "selector-2025-with-rotation")
                .with("header", "b", "abcdefgh");
        String field = new AuthResultsBuilder("mx.example.net").add(dkim).add(dkim).field();
        for (String line : field.split("\r\n")) {
            assertTrue(line.length() <= 78, line.length() + ": " + line);
        }
        assertEquals(dkim.properties(), AuthResultsParser.parse(field.substring(field.indexOf(':') + 1))
                .orElseThrow().results().get(1).properties());
    }

    @Test
    void freeTextIsCut() {
        String reason = "x".repeat(1000);
        String value = new AuthResultsBuilder("mx.example.net")
                .add(MethodResult.of("spf", AuthResult.NEUTRAL).withReason(reason).withComment(reason)).value();
        for (String line : value.split("\r\n")) {
            assertTrue(line.length() < 998, line);
        }
    }

    @Test
    void anAuthservIdThatIsNoTokenIsQuoted() {
        assertEquals("\"mx example\"; none", new AuthResultsBuilder("mx example").value());
    }

    @Test
    void badNamesAreProgrammingErrors() {
        assertThrowsIae(() -> MethodResult.of("spf pass", AuthResult.PASS));
        assertThrowsIae(() -> MethodResult.of("dkim", AuthResult.PASS).with("header.", "d", "x"));
    }

    private static void assertThrowsIae(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("no IllegalArgumentException");
    }
}
