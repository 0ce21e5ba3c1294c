package dev.mta.protocol.command;

import dev.mta.protocol.reply.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandParserTest {

    private static SmtpCommand ok(String line) {
        SmtpCommand c = CommandParser.parse(line);
        assertNull(c.rejection(), () -> "expected '" + line + "' to parse, got " + c.rejection());
        return c;
    }

    private static SmtpReply rejected(String line) {
        SmtpCommand c = CommandParser.parse(line);
        assertNotNull(c.rejection(), () -> "expected '" + line + "' to be rejected, got " + c);
        return c.rejection();
    }

    @ParameterizedTest
    @CsvSource({
            "HELO client.example, HELO, client.example",
            "helo client.example, HELO, client.example",
            "EHLO [192.0.2.1], EHLO, [192.0.2.1]",
            "EHLO [IPv6:2001:db8::1], EHLO, [IPv6:2001:db8::1]",
            "eHlO   spaced.example  , EHLO, spaced.example",
            "EHLO host extra words, EHLO, host",
            "NOOP, NOOP, ''",
            "NOOP anything at all, NOOP, anything at all",
            "HELP, HELP, ''",
            "HELP MAIL, HELP, MAIL",
            "VRFY postmaster, VRFY, postmaster",
            "EXPN staff, EXPN, staff",
            "DATA, DATA, ''",
            "data, DATA, ''",
            "RSET, RSET, ''",
            "QUIT, QUIT, ''",
            "'QUIT ', QUIT, ''",
    })
    void simpleCommands(String line, SmtpVerb verb, String argument) {
        SmtpCommand c = ok(line);
        assertEquals(verb, c.verb());
        assertEquals(argument, c.argument());
    }

    @ParameterizedTest
    @CsvSource({
            "HELO, 501, 5.5.4",
            "'EHLO ', 501, 5.5.4",
            "EHLO, 501, 5.5.4",
            "DATA now, 501, 5.5.4",
            "RSET please, 501, 5.5.4",
            "QUIT now, 501, 5.5.4",
            "VRFY, 501, 5.5.4",
            "EXPN, 501, 5.5.4",
            "TURN, 502, 5.5.1",
            "SEND FROM:<a@b.example>, 502, 5.5.1",
            "SOML FROM:<a@b.example>, 502, 5.5.1",
            "SAML FROM:<a@b.example>, 502, 5.5.1",
            "STARTTLS now, 501, 5.5.4",
            "AUTH, 501, 5.5.4",
            "BDAT 10 LAST, 502, 5.5.1",
            "FOO, 500, 5.5.2",
            "'', 500, 5.5.2",
            "MAILFROM:<a@b.example>, 500, 5.5.2",
            "' HELO x', 500, 5.5.2",
            "HELOX x, 500, 5.5.2",
            "MAIL, 501, 5.5.4",
            "MAIL TO:<a@b.example>, 501, 5.5.4",
            "'MAIL FROM:', 501, 5.5.4",
            "RCPT, 501, 5.5.4",
            "RCPT FROM:<a@b.example>, 501, 5.5.4",
    })
    void rejectedCommands(String line, int code, String status) {
        SmtpReply r = rejected(line);
        assertEquals(code, r.code());
        assertEquals(status, r.status().toString());
    }

    @Test
    void controlCharactersAreRejected() {
        assertEquals(500, rejected("NOOP\u0000x").code());
        assertEquals(500, rejected("NOOP a\rb").code());
        assertEquals(500, rejected("NOOP\tx").code());
        assertEquals(500, rejected("NOOP \u007f").code());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "MAIL FROM:<user@example.com>;user;example.com",
            "mail from:<user@example.com>;user;example.com",
            "MAIL FROM: <user@example.com>;user;example.com",
            "MAIL FROM:<first.last+tag@sub.example.co.uk>;first.last+tag;sub.example.co.uk",
            "MAIL FROM:<\"quoted local\"@example.com>;\"quoted local\";example.com",
            "MAIL FROM:<\"a\\\"b\\\\c\"@example.com>;\"a\\\"b\\\\c\";example.com",
            "MAIL FROM:<\"\"@example.com>;\"\";example.com",
            "MAIL FROM:<@relay.example:user@example.com>;user;example.com",
            "MAIL FROM:<@a.example,@b.example:user@example.com>;user;example.com",
            "MAIL FROM:<user@[192.0.2.1]>;user;[192.0.2.1]",
            "MAIL FROM:<user@[IPv6:2001:db8::1]>;user;[IPv6:2001:db8::1]",
            "MAIL FROM:<user@[IPv6:::ffff:192.0.2.1]>;user;[IPv6:::ffff:192.0.2.1]",
            "MAIL FROM:<user@[x-tag:some-content]>;user;[x-tag:some-content]",
            "MAIL FROM:<!#$%&'*+-/=?^_`{|}~@example.com>;!#$%&'*+-/=?^_`{|}~;example.com",
            "MAIL FROM:<u@x1-y.example>;u;x1-y.example",
            "MAIL FROM:<u@localhost>;u;localhost",
            "MAIL FROM:<u@123.example>;u;123.example",
    })
    void mailPaths(String line, String local, String domain) {
        SmtpCommand c = ok(line);
        assertEquals(SmtpVerb.MAIL, c.verb());
        assertEquals(local, c.path().localPart());
        assertEquals(domain, c.path().domain());
        assertFalse(c.path().isNull());
    }

    @Test
    void starttlsWithoutParametersIsACommandTheServerAnswers() {
        assertEquals(SmtpVerb.STARTTLS, ok("STARTTLS").verb());
        assertEquals(SmtpVerb.STARTTLS, ok("starttls").verb());
    }

    @Test
    void nullReversePath() {
        SmtpCommand c = ok("MAIL FROM:<>");
        assertTrue(c.path().isNull());
        assertEquals("<>", c.path().toString());
        assertTrue(ok("MAIL FROM:<> SIZE=100").path().isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "MAIL FROM:user@example.com",
            "MAIL FROM:<user@example.com",
            "MAIL FROM:<user>",
            "MAIL FROM:<user@>",
            "MAIL FROM:<@example.com>",
            "MAIL FROM:<.user@example.com>",
            "MAIL FROM:<user.@example.com>",
            "MAIL FROM:<us..er@example.com>",
            "MAIL FROM:<us er@example.com>",
            "MAIL FROM:<user@exa mple.com>",
            "MAIL FROM:<user@-example.com>",
            "MAIL FROM:<user@example-.com>",
            "MAIL FROM:<user@example..com>",
            "MAIL FROM:<user@example.com.>",
            "MAIL FROM:<user@.example.com>",
            "MAIL FROM:<user@exa_mple.com>",
            "MAIL FROM:<user@[192.0.2.256]>",
            "MAIL FROM:<user@[192.0.2]>",
            "MAIL FROM:<user@[IPv6:2001:db8::g]>",
            "MAIL FROM:<user@[192.0.2.1>",
            "MAIL FROM:<\"unterminated@example.com>",
            "MAIL FROM:<a@b@example.com>",
            "MAIL FROM:<@relay.example user@example.com>",
            "MAIL FROM:<user@example.com>trailing",
            "MAIL FROM:<Postmaster>",
            "MAIL FROM:<<user@example.com>>",
            "MAIL FROM:<user(comment)@example.com>",
    })
    void badSenderSyntax(String line) {
        SmtpReply r = rejected(line);
        assertEquals(501, r.code(), line);
        assertEquals("5.1.7", r.status().toString(), line);
    }

    @Test
    void lengthLimitsOfRfc5321() {
        String local64 = "a".repeat(64);
        ok("MAIL FROM:<" + local64 + "@example.com>");
        SmtpReply r = rejected("MAIL FROM:<" + local64 + "a@example.com>");
        assertEquals(501, r.code());
        assertTrue(r.lines().get(0).contains("too long"), r.toString());
        String label63 = "b".repeat(63);
        ok("RCPT TO:<u@" + label63 + ".example>");
        assertEquals(501, rejected("RCPT TO:<u@" + label63 + "b.example>").code());
        // 4 labels of 63 + dots = 255 octets of domain: legal domain, but the path passes 256 octets.
        String domain = String.join(".", label63, label63, label63, label63);
        assertEquals(255, domain.length());
        assertEquals(501, rejected("RCPT TO:<u@" + domain + ">").code());
    }

    @Test
    void mailParameters() {
        SmtpCommand c = ok("MAIL FROM:<a@b.example> SIZE=12345 BODY=8BITMIME SMTPUTF8");
        assertEquals(12345, c.mailParameters().declaredSize());
        assertEquals(BodyType.EIGHT_BIT_MIME, c.mailParameters().body());
        assertTrue(c.mailParameters().smtputf8());
        assertEquals("SIZE=12345 BODY=8BITMIME SMTPUTF8", c.parameters().toString());

        c = ok("MAIL FROM:<a@b.example> body=7bit size=0");
        assertEquals(BodyType.SEVEN_BIT, c.mailParameters().body());
        assertEquals(0, c.mailParameters().declaredSize());

        c = ok("MAIL FROM:<a@b.example>");
        assertEquals(-1, c.mailParameters().declaredSize());
        assertFalse(c.mailParameters().smtputf8());

        assertEquals(Long.MAX_VALUE, ok("MAIL FROM:<a@b.example> SIZE=99999999999999999999").mailParameters().declaredSize());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MAIL FROM:<a@b.example> SIZE=abc|501|5.5.4",
            "MAIL FROM:<a@b.example> SIZE=|501|5.5.4",
            "MAIL FROM:<a@b.example> SIZE|501|5.5.4",
            "MAIL FROM:<a@b.example> SIZE=-5|501|5.5.4",
            "MAIL FROM:<a@b.example> SIZE=123456789012345678901|501|5.5.4",
            "MAIL FROM:<a@b.example> BODY=BINARYMIME|501|5.5.4",
            "MAIL FROM:<a@b.example> BODY|501|5.5.4",
            "MAIL FROM:<a@b.example> SMTPUTF8=yes|501|5.5.4",
            "MAIL FROM:<a@b.example> SIZE=1 SIZE=2|501|5.5.4",
            "MAIL FROM:<a@b.example> RET=HDRS|555|5.5.4",
            "MAIL FROM:<a@b.example> AUTH=<>|555|5.5.4",
            "MAIL FROM:<a@b.example> X-FOO|555|5.5.4",
            "MAIL FROM:<a@b.example> =x|501|5.5.4",
            "MAIL FROM:<a@b.example> -X=1|501|5.5.4",
            "RCPT TO:<a@b.example> NOTIFY=NEVER|555|5.5.4",
            "RCPT TO:<a@b.example> ORCPT=rfc822;a@b.example|555|5.5.4",
    })
    void badParameters(String line, int code, String status) {
        SmtpReply r = rejected(line);
        assertEquals(code, r.code(), r::toString);
        assertEquals(status, r.status().toString(), r::toString);
    }

    @Test
    void recipients() {
        SmtpCommand c = ok("RCPT TO:<user@example.com>");
        assertEquals("user@example.com", c.path().address());
        assertTrue(ok("RCPT TO:<Postmaster>").path().isBarePostmaster());
        assertTrue(ok("RCPT TO:<postmaster>").path().isBarePostmaster());
        assertEquals("example.com", ok("RCPT TO:<@hop.example:user@example.com>").path().domain());
        assertEquals("user@example.com", ok("rcpt to: <user@example.com>").path().address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RCPT TO:<>", "RCPT TO:<user>", "RCPT TO:user@example.com", "RCPT TO:<user@example.com",
            "RCPT TO:<admin>"})
    void badRecipientSyntax(String line) {
        SmtpReply r = rejected(line);
        assertEquals(501, r.code());
        assertEquals("5.1.3", r.status().toString());
    }

    @Test
    void internationalizedAddressesNeedSmtputf8() {
        SmtpReply r = rejected("MAIL FROM:<José@example.com>");
        assertEquals(553, r.code());
        assertEquals("5.6.7", r.status().toString());
        SmtpCommand c = ok("MAIL FROM:<José@exämple.com> SMTPUTF8");
        assertTrue(c.path().isUtf8());
        assertTrue(ok("RCPT TO:<用户@例子.广告>").path().isUtf8());
        assertFalse(ok("RCPT TO:<user@example.com>").path().isUtf8());
        assertTrue(ok("MAIL FROM:<\"ü\"@example.com> SMTPUTF8").path().isUtf8());
    }
}
