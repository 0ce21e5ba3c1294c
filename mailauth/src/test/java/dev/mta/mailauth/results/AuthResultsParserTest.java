package dev.mta.mailauth.results;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading Authentication-Results values (RFC 8601 2.2): comments, versions, quoting; never an exception. */
class AuthResultsParserTest {

    @Test
    void readsAHeaderWithCommentsVersionsAndQuoting() {
        ParsedAuthResults r = parse(" (first) MX.example.NET (our server)\r\n\t1 ; spf (spf comment)= Pass"
                + " smtp.mailfrom = \"a b\"@example.com ;\r\n dkim/1=fail reason=\"bad \\\"sig\\\"\" header.d=x"
                + " header.b=\"ab/cd\" (b comment); dmarc = none");
        assertEquals("MX.example.NET", r.authservId());
        assertEquals("1", r.version());
        assertEquals(3, r.results().size());
        ParsedAuthResults.Entry spf = r.results().get(0);
        assertEquals("spf", spf.method());
        assertEquals("pass", spf.result());
        assertEquals(List.of(new ResultProperty("smtp", "mailfrom", "\"a b\"@example.com")), spf.properties());
        ParsedAuthResults.Entry dkim = r.results().get(1);
        assertEquals("1", dkim.version());
        assertEquals("bad \"sig\"", dkim.reason());
        assertEquals(List.of(new ResultProperty("header", "d", "x"), new ResultProperty("header", "b", "ab/cd")),
                dkim.properties());
        assertEquals("none", r.results().get(2).result());
    }

    @Test
    void none() {
        ParsedAuthResults r = parse("example.org 1; none (nothing checked)");
        assertEquals("example.org", r.authservId());
        assertEquals(List.of(), r.results());
    }

    @Test
    void aQuotedAuthservId() {
        assertEquals("mx example", parse("\"mx example\"; none").authservId());
    }

    @Test
    void malformedValuesAreEmpty() {
        for (String bad : new String[] {"", "   ", "mx.example.net", "mx.example.net;", "mx.example.net; spf",
                "mx.example.net; spf=", "mx.example.net; spf=pass smtp", "mx.example.net; spf=pass smtp.mailfrom",
                "mx.example.net; spf=pass (unclosed", "mx.example.net; spf=pass x.y=\"unclosed",
                "(unclosed mx.example.net; none", "mx.example.net; none; spf=pass", "; none",
                "mx.example.net; dkim/=pass"}) {
            assertEquals(Optional.empty(), AuthResultsParser.parse(bad), bad);
        }
        assertEquals(Optional.empty(), AuthResultsParser.parse(null));
    }

    @Test
    void writtenHeadersReadBack() {
        MethodResult spf = MethodResult.spf(AuthResult.SOFTFAIL, "\"odd local\"@example.com").withComment("c (d)");
        MethodResult helo = MethodResult.spfHelo(AuthResult.NONE, "helo.example.com");
        MethodResult dkim = MethodResult.dkim(AuthResult.PERMERROR, "example.com", "s1", "a+b/c=d=")
                .withReason("key \"not\" found\\");
        MethodResult dmarc = MethodResult.dmarc(AuthResult.FAIL, "example.com").with("policy", "dmarc", "reject");
        String value = new AuthResultsBuilder("mx.example.net").add(spf).add(helo).add(dkim).add(dmarc).value();
        ParsedAuthResults r = parse(value);
        assertEquals("mx.example.net", r.authservId());
        List<MethodResult> written = List.of(spf, helo, dkim, dmarc);
        for (int i = 0; i < written.size(); i++) {
            MethodResult w = written.get(i);
            ParsedAuthResults.Entry e = r.results().get(i);
            assertEquals(w.method(), e.method());
            assertEquals(w.result().keyword(), e.result());
            assertEquals(w.reason(), e.reason());
            assertEquals(w.properties(), e.properties());
        }
    }

    @Test
    void theAuthservIdAloneSurvivesABrokenRest() {
        assertEquals(Optional.of("mx.example.net"), AuthResultsParser.authservId("mx.example.net; spf=(broken"));
        assertEquals(Optional.of("mx.example.net"), AuthResultsParser.authservId(" (c) mx.example.net/1 junk"));
        assertEquals(Optional.of("mx.example.net"), AuthResultsParser.authservId("\"mx.example.net\";"));
        assertEquals(Optional.empty(), AuthResultsParser.authservId("(unclosed mx.example.net"));
        assertEquals(Optional.empty(), AuthResultsParser.authservId("; spf=pass"));
        assertEquals(Optional.empty(), AuthResultsParser.authservId(null));
    }

    @Test
    void neverThrows() {
        String seed = "mx.example.net (c) 1; spf=pass smtp.mailfrom=\"a\\\"b\"@x.example; dkim/1=fail reason=\"r\""
                + " header.b=ab/c=; none";
        String alphabet = "();=.\"\\@/ \t\r\nabc1";
        Random random = new Random(8601);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder s = new StringBuilder(seed);
            for (int m = random.nextInt(6); m >= 0; m--) {
                int at = random.nextInt(s.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> {
                        if (at < s.length()) {
                            s.deleteCharAt(at);
                        }
                    }
                    default -> s.setLength(at);
                }
            }
            AuthResultsParser.parse(s.toString());
            AuthResultsParser.authservId(s.toString());
        }
        AuthResultsParser.parse("x; " + "(".repeat(100_000));
        AuthResultsParser.parse("x; spf=pass " + "(a".repeat(10_000) + ")".repeat(10_000));
        assertTrue(true);
    }

    private static ParsedAuthResults parse(String value) {
        return AuthResultsParser.parse(value).orElseThrow(() -> new AssertionError("not parsed: " + value));
    }
}
