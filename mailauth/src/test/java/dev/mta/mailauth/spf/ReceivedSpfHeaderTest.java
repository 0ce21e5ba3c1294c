package dev.mta.mailauth.spf;

import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceivedSpfHeaderTest {
    @Test
    void passAsRfc7208ShowsIt() {
        SpfResult r = new SpfResult(AuthResult.PASS, SpfIdentity.MAILFROM, "example.com", "myname@example.com",
                IpAddresses.parse("192.0.2.1"), "foo.example.com", Optional.empty(), Optional.empty());
        assertEquals("Received-SPF: pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as"
                + " permitted sender)\r\n\tclient-ip=192.0.2.1; envelope-from=\"myname@example.com\";\r\n"
                + "\thelo=foo.example.com; receiver=mybox.example.org; identity=mailfrom\r\n",
                ReceivedSpfHeader.format(r, "mybox.example.org"));
    }

    @Test
    void clientTextCannotBreakOutOfTheField() {
        SpfResult r = new SpfResult(AuthResult.PERMERROR, SpfIdentity.HELO, "x.example", "post\"master)@x.example",
                IpAddresses.parse("2001:db8::1"), "evil\r\nX-Injected: 1", Optional.empty(),
                Optional.of("bad mechanism: moo"));
        String h = ReceivedSpfHeader.format(r, "mx.example");
        assertTrue(h.startsWith("Received-SPF: permerror (mx.example: permanent error in processing domain of "
                + "post\"master\\)@x.example)"), h);
        assertTrue(h.contains("client-ip=\"2001:db8::1\";"), h);
        assertTrue(h.contains("envelope-from=\"post\\\"master)@x.example\";"), h);
        assertTrue(h.contains("helo=\"evil??X-Injected: 1\";"), h);
        assertTrue(h.contains("identity=helo;"), h);
        assertTrue(h.contains("problem=\"bad mechanism: moo\"\r\n"), h);
        assertFalse(h.substring(0, h.length() - 2).replace("\r\n\t", "").contains("\n"), h);
        for (String line : h.split("\r\n")) {
            assertTrue(line.length() <= 120, line);
        }
    }
}
