package dev.mta.mailauth.spf;

import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpfRecordParserTest {
    @Test
    void recordSelection() {
        assertTrue(SpfRecordParser.isSpfRecord("v=spf1"));
        assertTrue(SpfRecordParser.isSpfRecord("V=SpF1 -all"));
        assertFalse(SpfRecordParser.isSpfRecord("v=spf10"));
        assertFalse(SpfRecordParser.isSpfRecord("v=spf1mx"));
        assertFalse(SpfRecordParser.isSpfRecord(" v=spf1"));
    }

    @Test
    void everyMechanismAndQualifier() {
        SpfRecord r = SpfRecordParser.parse("v=spf1 +a -mx:%{d}.example.com/24//64 ~ptr ?ip4:192.0.2.0/24 "
                + "ip6:2001:db8::/32 include:_spf.example.net exists:%{ir}.x.example.org ALL  ");
        assertEquals(8, r.directives().size());
        assertEquals(AuthResult.PASS, r.directives().get(0).result());
        assertEquals(AuthResult.FAIL, r.directives().get(1).result());
        assertEquals(AuthResult.SOFTFAIL, r.directives().get(2).result());
        assertEquals(AuthResult.NEUTRAL, r.directives().get(3).result());
        Mechanism.A a = assertInstanceOf(Mechanism.A.class, r.directives().get(0).mechanism());
        assertEquals(Optional.empty(), a.target());
        assertEquals(32, a.ip4Prefix());
        assertEquals(128, a.ip6Prefix());
        Mechanism.Mx mx = assertInstanceOf(Mechanism.Mx.class, r.directives().get(1).mechanism());
        assertEquals(24, mx.ip4Prefix());
        assertEquals(64, mx.ip6Prefix());
        assertTrue(mx.target().orElseThrow().uses('d'));
        assertInstanceOf(Mechanism.Ptr.class, r.directives().get(2).mechanism());
        assertEquals(24, assertInstanceOf(Mechanism.Ip.class, r.directives().get(3).mechanism()).network().prefix());
        assertEquals(32, assertInstanceOf(Mechanism.Ip.class, r.directives().get(4).mechanism()).network().prefix());
        assertInstanceOf(Mechanism.Include.class, r.directives().get(5).mechanism());
        assertInstanceOf(Mechanism.Exists.class, r.directives().get(6).mechanism());
        assertInstanceOf(Mechanism.All.class, r.directives().get(7).mechanism());
    }

    @Test
    void modifiers() {
        SpfRecord r = SpfRecordParser.parse("v=spf1 REDIRECT=_spf.example.com exp=explain.%{d} moo.cow-far_out=x:y/z "
                + "default=");
        assertTrue(r.redirect().isPresent());
        assertTrue(r.explanation().isPresent());
        assertTrue(r.directives().isEmpty());
    }

    @Test
    void dualCidrAfterDomainWithSlash() {
        Mechanism.A a = (Mechanism.A) SpfRecordParser.parse("v=spf1 a:foo:bar/baz.example.com//96")
                .directives().get(0).mechanism();
        assertEquals(96, a.ip6Prefix());
        assertEquals("foo:bar/baz.example.com", MacroExpander.expand(a.target().orElseThrow(),
                new MacroValues("s", "l", "o", "d", IpAddresses.parse("192.0.2.1"), "h", "r", 0, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=spf1 -all.", "v=spf1 -all:foo", "v=spf1 all/8", "v=spf1 ptr/0", "v=spf1 a/33", "v=spf1 a//129",
        "v=spf1 a/24/64", "v=spf1 a:", "v=spf1 mx:abc.123", "v=spf1 a:foo-bar", "v=spf1 include",
        "v=spf1 include:", "v=spf1 include:x.example.com/24", "v=spf1 exists", "v=spf1 ip4", "v=spf1 ip4:1.2.3",
        "v=spf1 ip4:1.2.3.4/032", "v=spf1 ip4:1.2.3.4//32", "v=spf1 ip4:1.2.3.4:8080", "v=spf1 ip6",
        "v=spf1 ip6::CAFE::BABE", "v=spf1 ip6:::1/129", "v=spf1 redirect:x.example.com", "v=spf1 redirect=",
        "v=spf1 exp=", "v=spf1 exp=-all", "v=spf1 redirect=a.example redirect=b.example", "v=spf1 exp=a.x exp=b.x",
        "v=spf1 1up=foo", "v=spf1 =all", "v=spf1 foo=%abc", "v=spf1 moo", "v=spf1 a:foo.example.com\u0000",
        "v=spf1 a:ctrl.example.com\rptr", "v=spf1 a:\u00efgarbage.example.net", "v=spf1 +", "v=spf1 a:%{c}.x.com",
        "v=spf1 -exists:%(ir).sbl.example.com"
    })
    void syntaxErrorsArePermerrors(String record) {
        SpfAbort e = assertThrows(SpfAbort.class, () -> SpfRecordParser.parse(record));
        assertEquals(AuthResult.PERMERROR, e.result());
    }
}
