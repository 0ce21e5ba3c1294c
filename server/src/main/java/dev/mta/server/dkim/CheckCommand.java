package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;
import dev.mta.server.cli.ToolLogging;
import dev.mta.server.config.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mta dkim check --domain D [--selector S]}: for each key of D in the key directory (or the one selector),
 * asks DNS for {@code S._domainkey.D} TXT and prints one line, {@code S._domainkey.D: } and a
 * {@link PublishedKeyCheck} verdict. Exit status 0 only when every key matches.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check that DNS publishes each key of a domain: one line per selector, matches or differs and how",
                "Exit status 0 only if every key matches its record."})
final class CheckCommand implements Callable<Integer> {
    /** How long one DNS query may take (the resolver's timeout). */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    KeyOptions options = new KeyOptions();

    @Option(names = "--selector", paramLabel = "SELECTOR",
            description = "Check this selector's key only (default: every key of the domain)")
    String selector;

    @Option(names = "--dns-server", paramLabel = "HOST:PORT",
            description = "DNS server to ask, e.g. 127.0.0.1:53 (default: the system's resolvers)")
    String dnsServer;

    @Override
    public Integer call() {
        String domain = options.domain(spec);
        String only = selector == null ? null : KeyOptions.selector(spec, selector, domain);
        InetSocketAddress server = dnsServer == null ? null : dnsServer();
        ToolLogging.toStandardError(); // Netty's warnings, if any, stay off standard output
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KeyDirectory keys = options.directory();
        List<String> selectors;
        if (only != null) {
            if (!Files.isRegularFile(keys.file(domain, only))) {
                err.println("mta: no key for selector " + only + " of " + domain + ": " + keys.file(domain, only)
                        + " does not exist");
                return DkimCommand.FAILED;
            }
            selectors = List.of(only);
        } else {
            try {
                selectors = keys.selectors(domain);
            } catch (IOException e) {
                err.println("mta: cannot list " + keys.folder(domain) + ": " + KeyDirectory.why(e));
                return DkimCommand.FAILED;
            }
            if (selectors.isEmpty()) {
                err.println("mta: no keys for " + domain + " in " + keys.folder(domain)
                        + " (make one with mta dkim keygen)");
                return DkimCommand.FAILED;
            }
        }
        boolean allMatch = true;
        try (TxtResolver dns = new TxtResolver(server, QUERY_TIMEOUT)) {
            for (String s : selectors) {
                PublishedKeyCheck.Verdict v = check(keys, dns, domain, s);
                allMatch &= v.matches();
                out.println(DkimNames.recordName(domain, s) + ": " + v.text());
                out.flush(); // line by line: a lookup may take seconds
            }
        }
        return allMatch ? 0 : DkimCommand.FAILED;
    }

    private static PublishedKeyCheck.Verdict check(KeyDirectory keys, TxtResolver dns, String domain, String selector) {
        DkimSigningKey key;
        try {
            key = keys.read(domain, selector);
        } catch (IOException e) {
            return PublishedKeyCheck.unreadable(KeyDirectory.why(e));
        } catch (InvalidKeyException e) {
            return PublishedKeyCheck.unreadable(e.getMessage());
        }
        return PublishedKeyCheck.judge(key, dns.lookup(DkimNames.recordName(domain, selector)));
    }

    private InetSocketAddress dnsServer() {
        InetSocketAddress a;
        try {
            a = HostPort.parse(dnsServer);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dns-server: " + e.getMessage());
        }
        if (a.getPort() == 0 || a.isUnresolved()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dns-server needs a host that resolves "
                    + "and a port from 1 to 65535: " + dnsServer);
        }
        return a;
    }
}
