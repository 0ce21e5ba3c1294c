package dev.mta.mailauth.spf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacroExpanderTest {
    private static final MacroValues RFC_EXAMPLE = new MacroValues("strong-bad@email.example.com", "strong-bad",
            "email.example.com", "email.example.com", IpAddresses.parse("192.0.2.3"), "mx.example.org",
            "receiver.example", 1_400_000_000L, null);

    /** The examples of RFC 7208 7.4, sender strong-bad@email.example.com from 192.0.2.3. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{s}|strong-bad@email.example.com",
        "%{o}|email.example.com",
        "%{d}|email.example.com",
        "%{d4}|email.example.com",
        "%{d3}|email.example.com",
        "%{d2}|example.com",
        "%{d1}|com",
        "%{dr}|com.example.email",
        "%{d2r}|example.email",
        "%{l}|strong-bad",
        "%{l-}|strong.bad",
        "%{lr}|strong-bad",
        "%{lr-}|bad.strong",
        "%{l1r-}|strong",
        "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
        "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
        "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
        "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
        "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
    })
    void rfcExamples(String macro, String expected) {
        assertEquals(expected, expand(macro, RFC_EXAMPLE));
    }

    @Test
    void ipv6IsNibblesForIAndRfc5952ForC() {
        MacroValues v6 = RFC_EXAMPLE.withDomain("email.example.com");
        v6 = new MacroValues(v6.sender(), v6.local(), v6.senderDomain(), v6.domain(),
                IpAddresses.parse("2001:db8::cb01"), v6.helo(), v6.receiver(), v6.timestamp(), null);
        // RFC 7208 7.4 writes the nibbles in lower case; the RFC 7208 test suite's explanations want upper case.
        assertEquals("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
                expand("%{ir}.%{v}._spf.%{d2}", v6).toLowerCase(Locale.ROOT));
        assertEquals("2001:db8::cb01", MacroExpander.expand(MacroParser.explanation("%{c}").orElseThrow(), v6));
    }

    @Test
    void upperCaseLettersAreUrlEscaped() {
        MacroValues v = new MacroValues("~jack&jill=up-a_b3.c@example.com", "~jack&jill=up-a_b3.c", "example.com",
                "example.com", IpAddresses.parse("192.0.2.3"), "helo", "r", 0, null);
        assertEquals("~jack%26jill%3Dup-a_b3.c", expand("%{L}", v));
    }

    @Test
    void escapesAndExplanationLetters() {
        assertEquals("a%b c%20d", expand("a%%b%_c%-d", RFC_EXAMPLE));
        assertEquals("192.0.2.3 at receiver.example 1400000000 unknown",
                MacroExpander.expand(MacroParser.explanation("%{c} at %{r} %{t} %{p}").orElseThrow(), RFC_EXAMPLE));
    }

    @Test
    void syntaxErrors() {
        for (String bad : new String[] {"%", "%a", "%{", "%{x}", "%{d0}", "%{d2rr}", "%{d;}", "%(ir)", "a b",
                                        "%{c}", "%{r}", "%{t}"}) {
            assertTrue(MacroParser.macroString(bad).isEmpty(), bad);
        }
        assertTrue(MacroParser.explanation("%{c} %{r} %{t}").isPresent());
        assertTrue(MacroParser.explanation("The %{x}-files.").isEmpty());
    }

    @Test
    void domainSpecMustEndInMacroOrToplabel() {
        for (String good : new String[] {"example.com", "example.com.", "%{d}", "_spf.%{d2}", "%{i}.x.example",
                                         "foo.xn--zckzah", "a:b/c.example.com", "x.1-2"}) {
            assertTrue(MacroParser.domainSpec(good).isPresent(), good);
        }
        for (String bad : new String[] {"", "foo-bar", "museum", "museum.", "abc.123", "example.-com",
                                        "example.com:8080", "%{d}.", "example.com-", "a.b\u0000"}) {
            assertTrue(MacroParser.domainSpec(bad).isEmpty(), bad);
        }
    }

    private static String expand(String macro, MacroValues values) {
        return MacroExpander.expand(MacroParser.macroString(macro).orElseThrow(), values);
    }
}
