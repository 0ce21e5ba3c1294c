package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code mta dkim keygen --domain D --selector S}: a new key in {@code DIR/D/S.pem} and, on standard output and
 * nothing else, the zone-file line that publishes it, so that it can be appended to a zone. A key already there is
 * kept unless --force: signatures made with it would stop verifying.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Make a DKIM signing key and print the DNS TXT record that publishes it",
                "The key goes to DIR/DOMAIN/SELECTOR.pem (PKCS#8, mode 0600); the record, in zone-file syntax, to "
                        + "standard output. To rotate, make a key under a new selector and publish it beside the old."})
final class KeygenCommand implements Callable<Integer> {
    /** The kinds of key keygen makes. */
    enum Algorithm {
        RSA_2048("rsa-2048", () -> DkimSigningKey.generateRsa(2048)),
        ED25519("ed25519", DkimSigningKey::generateEd25519);

        private final String option;
        private final Supplier<DkimSigningKey> generator;

        Algorithm(String option, Supplier<DkimSigningKey> generator) {
            this.option = option;
            this.generator = generator;
        }

        /** The algorithm --algorithm names, or null. */
        static Algorithm named(String option) {
            for (Algorithm a : values()) {
                if (a.option.equals(option)) {
                    return a;
                }
            }
            return null;
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    KeyOptions options = new KeyOptions();

    @Option(names = "--selector", paramLabel = "SELECTOR", required = true,
            description = "The selector (s=), e.g. mail or 2025a; the record is SELECTOR._domainkey.DOMAIN")
    String selector;

    @Option(names = "--algorithm", paramLabel = "ALGORITHM", defaultValue = "rsa-2048",
            description = "rsa-2048 (every verifier) or ed25519 (RFC 8463; not all verify it yet) (default: ${DEFAULT-VALUE})")
    String algorithm;

    @Option(names = "--force", description = "Replace a key already there for this selector")
    boolean force;

    @Override
    public Integer call() {
        String domain = options.domain(spec);
        String sel = KeyOptions.selector(spec, selector, domain);
        Algorithm alg = Algorithm.named(algorithm);
        if (alg == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--algorithm must be rsa-2048 or ed25519, not '" + algorithm + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KeyDirectory keys = options.directory();
        Path file = keys.file(domain, sel);
        // Refused before the key is made (RSA takes a while); the write itself refuses again, without a race.
        if (!force && Files.exists(file)) {
            return exists(err, file, sel);
        }
        DkimSigningKey key = alg.generator.get();
        try {
            keys.write(domain, sel, key.toPem(), force);
        } catch (FileAlreadyExistsException e) {
            return exists(err, file, sel);
        } catch (IOException e) {
            err.println("mta: cannot write " + file + ": " + KeyDirectory.why(e));
            return DkimCommand.FAILED;
        }
        out.println(ZoneRecord.line(DkimNames.recordName(domain, sel), key.dnsRecord()));
        out.flush();
        err.println("mta: wrote " + file + " (" + PublishedKeyCheck.describe(key) + "); publish the record above, "
                + "then: mta dkim check --domain " + domain + " --selector " + sel);
        err.flush();
        return 0;
    }

    private static int exists(PrintWriter err, Path file, String selector) {
        err.println("mta: " + file + " exists: selector " + selector + " has a key (--force replaces it, and mail "
                + "signed with the old one fails verification; a new selector is the way to rotate)");
        return DkimCommand.FAILED;
    }
}
