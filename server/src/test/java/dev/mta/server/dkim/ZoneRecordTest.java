package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zone-file line: RFC 1035 character-strings of at most 255 octets that join to the record. */
class ZoneRecordTest {
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The quoted strings of a zone-file line, unescaped. */
    static List<String> quotedStrings(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(line);
        while (m.find()) {
            out.add(m.group(1).replaceAll("\\\\(.)", "$1"));
        }
        return out;
    }

    @Test
    void rsa4096RecordIsCutIntoStringsOf255OctetsAtMost() {
        DkimSigningKey key = DkimSigningKey.generateRsa(4096); // a record of some 750 octets: three strings
        String line = ZoneRecord.line("mail._domainkey.example.com", key.dnsRecord());
        assertTrue(line.startsWith("mail._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; p="), line);
        assertTrue(line.endsWith("\" )"), line);
        List<String> strings = quotedStrings(line);
        assertEquals(3, strings.size(), line);
        strings.forEach(s -> assertTrue(s.getBytes(StandardCharsets.UTF_8).length <= 255, s));
        assertEquals(255, strings.get(0).length(), "full strings but the last");
        assertEquals(key.dnsRecord(), String.join("", strings));
    }

    @Test
    void shortRecordIsOneString() {
        assertEquals("s._domainkey.example.com. IN TXT ( \"v=DKIM1; k=ed25519; p=abc\" )",
                ZoneRecord.line("s._domainkey.example.com", "v=DKIM1; k=ed25519; p=abc"));
        assertEquals(List.of("x".repeat(255)), ZoneRecord.strings("x".repeat(255)));
        assertEquals(List.of("x".repeat(255), "x"), ZoneRecord.strings("x".repeat(256)));
    }

    @Test
    void quotesAndBackslashesAreEscapedAndCharactersNeverCut() {
        assertEquals("n. IN TXT ( \"a\\\"b\\\\c\" )", ZoneRecord.line("n", "a\"b\\c"));
        String text = "x".repeat(254) + "é" + "y"; // é is two octets: it cannot end the first string
        assertEquals(List.of("x".repeat(254), "éy"), ZoneRecord.strings(text));
    }
}
