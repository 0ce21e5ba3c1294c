package dev.mta.mailauth.dmarc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mta.mailauth.results.PythonWitness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The witnessed fixture cases through python3-authheaders' DMARC (dmarc_per_from, DNS answers from the fixture through
 * its dnsfunc hook, offline): its result and policy must be the fixture's, and so ours (checked here again, so that
 * the two are compared on the same case in one place).
 */
class DmarcWitnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void witnessInstalled() {
        PythonWitness.require("authheaders", "python3-authheaders");
    }

    @TestFactory
    Stream<DynamicTest> authheadersAgrees() throws Exception {
        List<DmarcFixture> cases = DmarcFixture.load("witnessed.yaml");
        List<Map<String, Object>> input = new ArrayList<>();
        for (DmarcFixture c : cases) {
            input.add(witnessCase(c));
        }
        String out = PythonWitness.run(DmarcWitnessTest.class, "dmarc_witness.py", JSON.writeValueAsString(input));
        List<Map<String, String>> answers = JSON.readValue(out, new TypeReference<>() { });
        assertEquals(cases.size(), answers.size());
        return IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(cases.get(i).name(), () -> {
            DmarcFixture c = cases.get(i);
            Map<String, String> witness = answers.get(i);
            String where = c.name() + ": witness said " + witness;
            assertEquals(c.expect().result(), witness.get("result"), where);
            if (!"none".equals(c.expect().result())) {
                assertEquals(c.expect().policy(), witness.get("policy"), where);
            }
            DmarcVerdict ours = DmarcFixturesTest.verdict(c);
            assertEquals(witness.get("result"), ours.result().keyword(), where + ", we said " + ours);
            if (!"none".equals(witness.get("result"))) {
                assertEquals(witness.get("policy"), ours.policy().keyword(), where + ", we said " + ours);
            }
        }));
    }

    /** The case as the witness script reads it: one TXT record per name, the names that exist. */
    private static Map<String, Object> witnessCase(DmarcFixture c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        Map<String, String> txt = new LinkedHashMap<>();
        List<String> exists = new ArrayList<>();
        if (c.dns() != null) {
            if (c.dns().txt() != null) {
                c.dns().txt().forEach((name, records) -> {
                    if (records.size() != 1) {
                        throw new IllegalArgumentException(c.name() + ": the witness takes one TXT record per name");
                    }
                    txt.put(name, records.get(0));
                });
            }
            if (c.dns().a() != null) {
                exists.addAll(c.dns().a());
            }
            if (c.dns().mx() != null) {
                exists.addAll(c.dns().mx());
            }
        }
        m.put("txt", txt);
        m.put("exists", exists);
        m.put("from", c.from());
        if (c.spf() != null) {
            m.put("spf", Map.of("result", c.spf().result(), "domain", c.spf().domain()));
        }
        if (c.dkim() != null) {
            if (c.dkim().size() > 1) {
                throw new IllegalArgumentException(c.name() + ": the witness takes one DKIM result");
            }
            m.put("dkim", c.dkim().stream().map(d -> Map.of("result", d.result(), "domain", d.domain())).toList());
        }
        return m;
    }
}
