package dev.mta.server.smtp;

import dev.mta.server.support.SmtpTestClient;
import dev.mta.server.support.TestMta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A web page that makes a browser POST SMTP commands to the SMTP port (a cross-protocol attack): the request line
 * ends the session at once, so nothing in the body is ever executed (Postfix's smtpd_forbidden_commands).
 */
class HttpRequestTest {
    @TempDir
    Path spool;

    @Test
    void anHttpRequestEndsTheSessionBeforeItsBodyRuns() throws Exception {
        try (TestMta mta = TestMta.start(spool)) {
            for (String method : new String[]{"POST", "GET", "CONNECT", "put"}) {
                try (SmtpTestClient c = SmtpTestClient.greeted(mta.address())) {
                    c.send(method + " / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\r\n"
                            + "MAIL FROM:<a@example.org>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nspam\r\n.\r\n");
                    c.read().assertReply(554, "5.7.0");
                    String rest = c.readToEnd();
                    assertFalse(rest.contains("250"), rest);
                    assertTrue(c.closedByServer());
                }
            }
            assertEquals(0, mta.queuedCount());
        }
    }
}
