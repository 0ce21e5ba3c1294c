package dev.mta.server.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Domain matching for relay control: case-insensitive, exact, subdomains only when written with a leading dot. */
class DomainListTest {
    @Test
    void exactAndCaseInsensitive() {
        DomainList d = DomainList.parse("ourdomain.example");
        assertTrue(d.matches("ourdomain.example"));
        assertTrue(d.matches("OurDomain.EXAMPLE"));
        assertFalse(d.matches("sub.ourdomain.example"), "a plain entry does not cover subdomains");
        assertFalse(d.matches("ourdomain.example.evil.example"));
        assertFalse(d.matches("xourdomain.example"));
        assertFalse(d.matches("ourdomain.exampl"));
        assertFalse(d.matches("ourdomain"));
        assertFalse(d.matches("[192.0.2.1]"));
        assertFalse(d.matches(""));
    }

    @Test
    void aLeadingDotCoversSubdomainsOnly() {
        DomainList d = DomainList.parse(".example.com");
        assertTrue(d.matches("sub.example.com"));
        assertTrue(d.matches("a.b.EXAMPLE.com"));
        assertFalse(d.matches("example.com"), "the parent itself needs its own entry");
        assertFalse(d.matches("badexample.com"));
        assertFalse(d.matches("example.com.evil.example"));
        DomainList both = DomainList.parse("example.com, .example.com");
        assertTrue(both.matches("example.com"));
        assertTrue(both.matches("mx.example.com"));
    }

    @Test
    void listsAndTheirText() {
        DomainList d = DomainList.parse("b.example,  A.example .c.example");
        assertTrue(d.matches("a.example"));
        assertTrue(d.matches("b.example"));
        assertTrue(d.matches("x.c.example"));
        assertEquals(".c.example,a.example,b.example", d.toString());
        assertEquals(DomainList.NONE, DomainList.parse(""));
        assertEquals(DomainList.NONE, DomainList.parse(null));
        assertEquals("none", DomainList.NONE.toString());
        assertEquals(DomainList.parse("a.example,b.example"), DomainList.parse("b.example a.example"));
    }

    @Test
    void badDomainsAreRefused() {
        for (String bad : List.of("example.com.", "*.example.com", "[192.0.2.1]", "exa_mple.com", "..example.com",
                "-example.com", "example..com", "user@example.com", ".")) {
            assertThrows(IllegalArgumentException.class, () -> DomainList.parse(bad), bad);
        }
    }
}
