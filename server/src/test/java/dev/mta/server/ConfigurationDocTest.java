package dev.mta.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md against the program: a section for every option and none for an option that does not
 * exist, the defaults the program has, the keys a SIGHUP reloads, and examples that read; and deploy/mta.conf is a
 * configuration the server takes.
 */
class ConfigurationDocTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern HEADING = Pattern.compile("^### `([a-z0-9-]+)`$");
    private static final Pattern FACTS = Pattern.compile("^Type: (.+) · Default: (.+) · Reload: (.+)$");
    private static final Pattern EXAMPLE = Pattern.compile("^Example: `(([a-z0-9-]+) = .*)`$");
    /** Examples that need a file that exists, or another key beside them, to pass the checks a start makes. */
    private static final Set<String> EXAMPLE_NEEDS_MORE = Set.of("tls-cert", "tls-key", "relay-recipients",
            "relay-auth", "relay-tls-ca", "users", "relay-verify", "aliases",
            "local-domains");

    @TempDir
    Path dir;

    /** One key's section. */
    private record Section(String key, String type, String defaultText, String reload, String example) {
    }

    private static Map<String, Section> sections() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/configuration.md"));
        Map<String, Section> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher h = HEADING.matcher(lines.get(i));
            if (!h.matches()) {
                continue;
            }
            String key = h.group(1);
            Matcher f = FACTS.matcher(lines.get(i + 1));
            assertTrue(f.matches(), "the line after ### `" + key + "` says Type · Default · Reload: " + lines.get(i + 1));
            Matcher e = EXAMPLE.matcher(lines.get(i + 3));
            assertTrue(e.matches(), "then an example for " + key + ": " + lines.get(i + 3));
            assertEquals(key, e.group(2), "the example of " + key + " sets " + key);
            assertTrue(out.put(key, new Section(key, f.group(1), f.group(2), f.group(3), e.group(1))) == null,
                    key + " documented twice");
        }
        return out;
    }

    private static List<OptionSpec> settings() {
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : MtaMain.commandLine(new String[0]).getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp() && !EffectiveSettings.key(o).equals("config")) {
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void everyOptionHasItsSectionAndEverySectionItsOption() throws Exception {
        TreeSet<String> options = new TreeSet<>();
        settings().forEach(o -> options.add(EffectiveSettings.key(o)));
        assertEquals(options, new TreeSet<>(sections().keySet()));
    }

    @Test
    void theDefaultsAndReloadsAreTheProgramsOwn() throws Exception {
        Map<String, Section> doc = sections();
        for (OptionSpec o : settings()) {
            String key = EffectiveSettings.key(o);
            Section s = doc.get(key);
            String declared = o.defaultValue();
            if (declared == null && (o.type() == boolean.class)) {
                declared = "false";
            }
            if (declared != null && !declared.isEmpty()) {
                assertTrue(s.defaultText().startsWith("`" + declared + "`"), key + ": default `" + declared
                        + "`, documented: " + s.defaultText());
            } else {
                assertTrue(!s.defaultText().startsWith("`"), key + " has no default value to write: " + s.defaultText());
            }
            assertEquals(ConfigReload.RELOADED.contains(key), s.reload().startsWith("SIGHUP"),
                    key + " reload: " + s.reload());
        }
    }

    @Test
    void theExamplesRead() throws Exception {
        for (Section s : sections().values()) {
            Path file = Files.writeString(dir.resolve(s.key() + ".conf"), s.example() + "\n");
            String[] args = {"--config", file.toString()};
            CommandLine cmd = MtaMain.commandLine(args);
            cmd.parseArgs(args);
            if (!EXAMPLE_NEEDS_MORE.contains(s.key())) {
                ((MtaMain) cmd.getCommand()).check();
            }
        }
    }

    @Test
    void theSampleConfigurationIsOneTheServerTakes() throws Exception {
        Path sample = ROOT.resolve("deploy/mta.conf");
        String[] args = {"config", "--config", sample.toString()};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(0, cmd.execute(args), err::toString);
        assertTrue(out.toString().contains("smtp-listen = 0.0.0.0:25, [::]:25\n"), out.toString());
        // The keys it shows commented out exist too: uncommenting one never meets an unknown key.
        Map<String, Section> doc = sections();
        for (String line : Files.readAllLines(sample)) {
            Matcher m = Pattern.compile("^#?([a-z0-9-]+) = ").matcher(line);
            if (m.find()) {
                assertTrue(doc.containsKey(m.group(1)), "a key of docs/configuration.md: " + line);
            }
        }
    }

    @Test
    void theContainersConfigurationIsOneTheServerTakes() {
        String[] args = {"config", "--config", ROOT.resolve("deploy/container.conf").toString()};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = MtaMain.commandLine(args);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(0, cmd.execute(args), err::toString);
        // What the image publishes is served on the container's addresses.
        for (String line : new String[]{"smtp-listen = 0.0.0.0:25\n", "submission-listen = 0.0.0.0:587\n",
                "smtps-listen = 0.0.0.0:465\n", "metrics-listen = 0.0.0.0:9465\n"}) {
            assertTrue(out.toString().contains(line), () -> line + " missing in:\n" + out);
        }
    }
}
