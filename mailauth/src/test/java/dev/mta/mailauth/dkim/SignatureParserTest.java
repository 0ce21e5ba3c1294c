package dev.mta.mailauth.dkim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing DKIM-Signature fields (RFC 6376 3.2, 3.5): what is kept of good ones, and why bad ones are malformed. */
class SignatureParserTest {
    static Stream<Arguments> malformed() throws IOException {
        try (InputStream in = SignatureParserTest.class.getResourceAsStream("malformed-signatures.yaml")) {
            List<Map<String, String>> cases = new ObjectMapper(new YAMLFactory()).readValue(in,
                    new TypeReference<>() { });
            return cases.stream().map(c -> Arguments.of(c.get("name"), c.get("tags"), c.get("reason")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedSignaturesSayWhy(String name, String tags, String reason) {
        ParsedSignature p = SignatureParser.parse(HeaderField.of("DKIM-Signature: " + tags));
        MalformedSignature m = assertInstanceOf(MalformedSignature.class, p, name);
        assertTrue(m.reason().contains(reason), name + ": " + m.reason());
    }

    @Test
    void goodSignatureKeepsItsTags() {
        DkimSignature s = parse("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n d=Example.COM;"
                + " s=sel.sub; t=100; x=200; l=42; q=dns/txt;\r\n h=From : to:\r\n\tSubject ; i=joe@mail.example.com;"
                + "\r\n bh=AAAA; b=AB\r\n CD\r\n\tEFG=; z=From:a@b");
        assertEquals(DkimAlgorithm.ED25519_SHA256, s.algorithm());
        assertEquals(Canonicalization.RELAXED, s.headerCanonicalization());
        assertEquals(Canonicalization.RELAXED, s.bodyCanonicalization());
        assertEquals("Example.COM", s.domain());
        assertEquals("sel.sub._domainkey.Example.COM", s.keyName());
        assertEquals(List.of("From", "to", "Subject"), s.signedHeaders());
        assertEquals("joe@mail.example.com", s.identity());
        assertEquals("mail.example.com", s.identityDomain());
        assertEquals(42, s.bodyLength());
        assertEquals(100, s.timestamp());
        assertEquals(200, s.expiration());
        assertEquals("ABCDEFG=", s.headerB());
        assertEquals(5, s.signature().length);
    }

    @Test
    void defaultsAreSimpleSimpleAndTheDomainAsIdentity() {
        DkimSignature s = parse("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA; b=AAAA");
        assertEquals(Canonicalization.SIMPLE, s.headerCanonicalization());
        assertEquals(Canonicalization.SIMPLE, s.bodyCanonicalization());
        assertEquals("@example.com", s.identity());
        assertEquals(-1, s.bodyLength());
        assertEquals(-1, s.timestamp());
        assertEquals(-1, s.expiration());
        DkimSignature headerOnly = parse("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed; d=example.com; s=s;"
                + " h=from; bh=AAAA; b=AAAA");
        assertEquals(Canonicalization.RELAXED, headerOnly.headerCanonicalization());
        assertEquals(Canonicalization.SIMPLE, headerOnly.bodyCanonicalization());
    }

    @Test
    void withoutBCutsTheValueAndTheWhitespaceAroundIt() {
        DkimSignature s = parse("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; h=from; b = AB\r\n CD ;"
                + " bh=AAAA");
        assertEquals("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; h=from; b =; bh=AAAA", s.withoutB());
        DkimSignature last = parse("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA;\r\n"
                + " b=ABCD\r\n EFGH");
        assertEquals("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA;\r\n b=",
                last.withoutB());
    }

    @Test
    void rsaSha1ParsesSoThatItCanFail() {
        DkimSignature s = parse("DKIM-Signature: v=1; a=rsa-sha1; d=example.com; s=s; h=from; bh=AAAA; b=AAAA");
        assertEquals(DkimAlgorithm.RSA_SHA1, s.algorithm());
        assertTrue(!s.algorithm().acceptable());
    }

    @Test
    void malformedKeepsOnlyWhatIsSafeToReport() {
        MalformedSignature m = (MalformedSignature) SignatureParser.parse(HeaderField.of(
                "DKIM-Signature: v=2; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=ABCDEFGHIJ"));
        assertEquals("example.com", m.domain());
        assertEquals("sel", m.selector());
        assertEquals("rsa-sha256", m.algorithmTag());
        assertEquals("ABCDEFGH", m.headerB());
        MalformedSignature junk = (MalformedSignature) SignatureParser.parse(HeaderField.of(
                "DKIM-Signature: v=1; a=x(y); d=a b; s=\"x\"; h=from; bh=AAAA; b=<script>"));
        assertEquals("", junk.domain());
        assertEquals("", junk.selector());
        assertEquals("", junk.algorithmTag());
        assertEquals("", junk.headerB());
        MalformedSignature nothing = (MalformedSignature) SignatureParser.parse(HeaderField.of("DKIM-Signature: ;;"));
        assertEquals("", nothing.domain());
    }

    @Test
    void tagListsTrimFwsAndAllowATrailingSemicolon() throws DkimSyntaxException {
        TagList t = TagList.parse(" v = DKIM1 ;\r\n k=rsa; p= AB\r\n CD ; ");
        assertEquals("DKIM1", t.get("v"));
        assertEquals("AB\r\n CD", t.get("p"));
        assertEquals("ABCD", TagList.withoutFws(t.get("p")));
        assertEquals(List.of("a", "b", "c"), TagList.colonList(" a : b:c "));
        TagList.parse("");
    }

    private static DkimSignature parse(String field) {
        return assertInstanceOf(DkimSignature.class, SignatureParser.parse(HeaderField.of(field)));
    }
}
