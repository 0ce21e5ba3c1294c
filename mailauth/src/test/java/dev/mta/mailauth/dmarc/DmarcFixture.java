package dev.mta.mailauth.dmarc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mta.mailauth.dns.FixtureDns;
import dev.mta.mailauth.results.AuthResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One DMARC case from a YAML fixture file: the DNS, the message's identifiers and what RFC 9989 makes of them. */
record DmarcFixture(String name, String rfc, Dns dns, String from, Identifier spf, List<Identifier> dkim,
                    Expect expect) {

    /** The DNS the case sees; unlisted names are NXDOMAIN. */
    record Dns(Map<String, List<String>> txt, List<String> a, List<String> mx, List<String> tempfail,
               List<String> tooBig) {
    }

    /** An SPF or DKIM result with its domain. */
    record Identifier(String result, String domain) {
        AuthResult authResult() {
            return AuthResult.valueOf(result.toUpperCase(Locale.ROOT));
        }
    }

    /** What the verdict must say; null fields are not checked. */
    record Expect(String result, String policy, Boolean testing, String policyDomain, String org, Boolean spfAligned,
                  List<String> dkimAligned) {
    }

    static List<DmarcFixture> load(String resource) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (InputStream in = DmarcFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no fixture file " + resource);
            }
            return yaml.readValue(in, new TypeReference<List<DmarcFixture>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FixtureDns fixtureDns() {
        FixtureDns fixture = new FixtureDns();
        if (dns == null) {
            return fixture;
        }
        if (dns.txt() != null) {
            dns.txt().forEach((name, records) -> fixture.txt(name, records.toArray(String[]::new)));
        }
        each(dns.a(), name -> fixture.a(name, "192.0.2.1"));
        each(dns.mx(), name -> fixture.mx(name, 10, "mx." + name));
        each(dns.tempfail(), fixture::tempfail);
        each(dns.tooBig(), fixture::tooBig);
        return fixture;
    }

    DmarcInput input() {
        DmarcInput.Spf spfInput = spf == null ? null : new DmarcInput.Spf(spf.authResult(), spf.domain());
        List<DmarcInput.Dkim> dkimInput = new ArrayList<>();
        if (dkim != null) {
            dkim.forEach(d -> dkimInput.add(new DmarcInput.Dkim(d.authResult(), d.domain())));
        }
        return new DmarcInput(from, spfInput, dkimInput);
    }

    @Override
    public String toString() {
        return name;
    }

    private static void each(List<String> names, java.util.function.Consumer<String> action) {
        if (names != null) {
            names.forEach(action);
        }
    }
}
