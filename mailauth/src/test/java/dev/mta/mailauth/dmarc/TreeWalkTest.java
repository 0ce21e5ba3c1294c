package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.results.AuthResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DNS Tree Walk's names and its query budget (RFC 9989 4.10). */
class TreeWalkTest {

    @Test
    void theRfcsThirteenLabelExampleTakesEightQueries() {
        // RFC 9989 4.10, the list after step 7.
        assertEquals(List.of("a.b.c.d.e.f.g.h.i.j.mail.example.com", "g.h.i.j.mail.example.com",
                        "h.i.j.mail.example.com", "i.j.mail.example.com", "j.mail.example.com", "mail.example.com",
                        "example.com", "com"),
                TreeWalk.targets("a.b.c.d.e.f.g.h.i.j.mail.example.com"));
    }

    @Test
    void shortNamesLoseOneLabelAtATime() {
        assertEquals(List.of("a.mail.example.com", "mail.example.com", "example.com", "com"),
                TreeWalk.targets("a.mail.example.com"));
        assertEquals(List.of("com"), TreeWalk.targets("com"));
    }

    @Test
    void noWalkExceedsEightQueries() {
        String name = "l1";
        for (int labels = 1; labels <= 40; labels++) {
            int expected = Math.min(labels, 8);
            assertEquals(expected, TreeWalk.targets(name).size(), name);
            name = "l" + (labels + 1) + "." + name;
        }
    }

    @Test
    void eightLabelsAndNineLabelsBothTakeEight() {
        assertEquals(8, TreeWalk.targets("a.b.c.d.e.f.g.h").size());
        assertEquals(List.of("a.b.c.d.e.f.g.h.i", "c.d.e.f.g.h.i", "d.e.f.g.h.i", "e.f.g.h.i", "f.g.h.i", "g.h.i",
                "h.i", "i"), TreeWalk.targets("a.b.c.d.e.f.g.h.i"));
    }

    @Test
    void aFailingWalkOnALongNameAsksEightNames() throws Exception {
        FixtureDns dns = new FixtureDns();
        verdict(dns, new DmarcInput("a.b.c.d.e.f.g.h.i.j.mail.example.com", null, List.of()));
        assertEquals(8, dns.queries());
    }

    @Test
    void walksShareTheirQueries() throws Exception {
        // The author's walk and two identifiers' walks cross example.com and com: each name is asked once.
        FixtureDns dns = new FixtureDns().txt("_dmarc.example.com", "v=DMARC1; p=reject");
        DmarcVerdict v = verdict(dns, new DmarcInput("news.example.com",
                new DmarcInput.Spf(AuthResult.PASS, "bounce.example.com"),
                List.of(new DmarcInput.Dkim(AuthResult.PASS, "mail.example.com"))));
        assertEquals(AuthResult.PASS, v.result());
        // _dmarc. of news, bounce, mail, example.com and com; no existence check (no np).
        assertEquals(5, dns.queries());
    }

    @Test
    void strictAlignmentNeedsNoWalkBeyondThePolicy() throws Exception {
        FixtureDns dns = new FixtureDns().txt("_dmarc.example.com", "v=DMARC1; p=reject; adkim=s; aspf=s");
        verdict(dns, new DmarcInput("example.com", new DmarcInput.Spf(AuthResult.PASS, "bounce.example.com"),
                List.of(new DmarcInput.Dkim(AuthResult.PASS, "mail.example.com"))));
        assertTrue(dns.queries() <= 2, "queries: " + dns.queries()); // _dmarc.example.com, _dmarc.com
    }

    private static DmarcVerdict verdict(FixtureDns dns, DmarcInput input) throws Exception {
        return new DmarcEvaluator(dns).evaluate(input).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
