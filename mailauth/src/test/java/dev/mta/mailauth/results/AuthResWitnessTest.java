package dev.mta.mailauth.results;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * python3-authres reads every header we write (folded, as written) and finds in it what we put there; and it sees
 * our authserv-id in the forged headers we recognise as claiming it, and another in those we leave alone.
 */
class AuthResWitnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "mx.example.net";

    @BeforeAll
    static void witnessInstalled() {
        PythonWitness.require("authres", "python3-authres");
    }

    @Test
    void authresReadsWhatWeWrite() throws Exception {
        List<List<MethodResult>> headers = List.of(
                List.of(),
                List.of(MethodResult.spf(AuthResult.PASS, "a@b"),
                        MethodResult.dkim(AuthResult.PASS, "x", "y", "abcdefghijkl"),
                        MethodResult.dmarc(AuthResult.PASS, "x")),
                List.of(MethodResult.spf(AuthResult.SOFTFAIL, "\"odd local\"@example.com").withComment("c (d)"),
                        MethodResult.spfHelo(AuthResult.NONE, "helo.example.com")),
                List.of(MethodResult.dkim(AuthResult.PERMERROR, "example.com", "s1", "a+b/c=d=")
                                .withReason("key \"not\" found \\ here"),
                        MethodResult.dkim(AuthResult.PASS, "esp.example.net", "2025", "zz9+/AbC"),
                        MethodResult.dmarc(AuthResult.FAIL, "example.com").with("policy", "dmarc", "quarantine")
                                .withComment("p=reject t=y")),
                List.of(MethodResult.of("dkim", AuthResult.PASS)
                                .with("header", "d", "a-rather-long-subdomain.of-a-long-organizational-domain.example")
                                .with("header", "i", "someone.with.a.long.name@a-rather-long-subdomain.example")
                                .with("header", "s", "selector-2025-with-rotation")
                                .with("header", "b", "abc/efgh"),
                        MethodResult.of("iprev", AuthResult.PASS).with("policy", "iprev", "192.0.2.1"),
                        MethodResult.of("auth", AuthResult.PASS).with("smtp", "auth", "user@example.net"),
                        MethodResult.dmarc(AuthResult.TEMPERROR, "example.org")));
        List<String> fields = new ArrayList<>();
        for (List<MethodResult> results : headers) {
            AuthResultsBuilder b = new AuthResultsBuilder(ID);
            results.forEach(b::add);
            fields.add(b.field());
        }
        List<Map<String, Object>> read = authres(fields);
        for (int h = 0; h < headers.size(); h++) {
            Map<String, Object> parsed = read.get(h);
            String where = fields.get(h) + " read as " + parsed;
            assertEquals(true, parsed.get("ok"), where);
            assertEquals(ID, parsed.get("authservId"), where);
            assertEquals("", parsed.get("version"), where);
            List<Map<String, Object>> results = cast(parsed.get("results"));
            assertEquals(headers.get(h).size(), results.size(), where);
            for (int i = 0; i < results.size(); i++) {
                MethodResult written = headers.get(h).get(i);
                Map<String, Object> r = results.get(i);
                assertEquals(written.method(), r.get("method"), where);
                assertEquals(written.result().keyword(), r.get("result"), where);
                assertEquals(written.reason(), r.get("reason"), where);
                List<List<String>> properties = new ArrayList<>();
                written.properties().forEach(p -> properties.add(List.of(p.type(), p.property(), p.value())));
                assertEquals(sorted(properties), sorted(cast(r.get("properties"))), where);
            }
        }
    }

    @Test
    void authresSeesOurIdWhereWeSeeAForgery() throws Exception {
        List<String> forged = List.of(
                "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@example.com",
                "authentication-results:MX.Example.Net; none",
                "Authentication-Results: (forged) mx.example.net (really) 1; dkim=pass header.d=bank.example",
                "Authentication-Results:\r\n\tmx.example.net\r\n\t;\r\n\tdmarc=pass header.from=bank.example");
        List<String> others = List.of(
                "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=a@example.com",
                "Authentication-Results: mx.example.net.evil.example; none",
                "Authentication-Results: sub.mx.example.net; none",
                "Authentication-Results: (mx.example.net) other.example; none");
        ForgedResults ours = new ForgedResults(ID);
        List<Map<String, Object>> readForged = authres(forged);
        for (int i = 0; i < forged.size(); i++) {
            assertTrue(ours.isForged(forged.get(i)), forged.get(i));
            assertEquals(ID, readForged.get(i).get("authservId"), forged.get(i) + " read as " + readForged.get(i));
        }
        List<Map<String, Object>> readOthers = authres(others);
        for (int i = 0; i < others.size(); i++) {
            assertFalse(ours.isForged(others.get(i)), others.get(i));
            assertEquals(true, readOthers.get(i).get("ok"), others.get(i) + " read as " + readOthers.get(i));
            assertFalse(ID.equals(String.valueOf(readOthers.get(i).get("authservId")).toLowerCase(Locale.ROOT)),
                    others.get(i));
        }
    }

    private static List<Map<String, Object>> authres(List<String> fields) throws Exception {
        String out = PythonWitness.run(AuthResWitnessTest.class, "authres_witness.py", JSON.writeValueAsString(fields));
        List<Map<String, Object>> read = JSON.readValue(out, new TypeReference<>() { });
        assertEquals(fields.size(), read.size());
        return read;
    }

    /** Properties in a fixed order: we write quoted values last, so the order read may differ from the order given. */
    private static List<List<String>> sorted(List<List<String>> properties) {
        List<List<String>> copy = new ArrayList<>(properties);
        copy.sort((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
