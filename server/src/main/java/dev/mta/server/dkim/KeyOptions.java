package dev.mta.server.dkim;

import dev.mta.server.config.Defaults;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What every {@code mta dkim} subcommand takes: the signing domain and the key directory, and their checks. */
final class KeyOptions {
    /** The longest DNS name (RFC 1035 2.3.4, written without its final dot). */
    private static final int MAX_NAME = 253;

    @Option(names = "--domain", paramLabel = "DOMAIN", required = true,
            description = "The signing domain (d=), e.g. example.com")
    String domain;

    @Option(names = "--key-dir", paramLabel = "DIR", defaultValue = Defaults.DKIM_KEY_DIR,
            description = "Where keys are kept, as DIR/DOMAIN/SELECTOR.pem (default: ${DEFAULT-VALUE})")
    Path keyDir;

    KeyDirectory directory() {
        return new KeyDirectory(keyDir);
    }

    /** The domain checked and in lower case; a bad one is bad usage naming --domain. */
    String domain(CommandSpec spec) {
        String d = DkimNames.domain(domain);
        if (d == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--domain is not a domain name: '" + domain + "' (" + DkimNames.SYNTAX + ")");
        }
        return d;
    }

    /** A selector checked and in lower case; a bad one, or one making too long a name, names --selector. */
    static String selector(CommandSpec spec, String text, String domain) {
        String s = DkimNames.selector(text);
        if (s == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--selector is not a selector: '" + text + "' (" + DkimNames.SYNTAX + ")");
        }
        if (DkimNames.recordName(domain, s).length() > MAX_NAME) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--selector " + text + " makes "
                    + DkimNames.recordName(domain, s) + " longer than DNS allows (" + MAX_NAME + ")");
        }
        return s;
    }
}
