package dev.mta.interop;

import org.testcontainers.containers.Container;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's Postfix in a container on the host's network: its SMTP server on 127.0.0.1:{@code port}, local delivery
 * into ~/Maildir for the users alice and bob, the certificates of {@code /certs} when given, its log on stdout.
 */
final class PostfixContainer extends MtaContainer<PostfixContainer> {
    static final String HOSTNAME = "postfix.test";
    /** The domain it delivers locally. */
    static final String DOMAIN = "pf.test";

    /**
     * @param settings main.cf lines over the defaults below (a value of null removes one)
     * @param hosts    names /etc/hosts maps to 127.0.0.1 (Postfix resolves next hops natively, without DNS)
     */
    PostfixContainer(int port, Map<String, String> settings, List<String> hosts) {
        super(Docker.image("postfix"), port);
        Map<String, String> cf = new LinkedHashMap<>();
        cf.put("compatibility_level", "3.6");
        cf.put("myhostname", HOSTNAME);
        cf.put("mydomain", HOSTNAME);
        cf.put("myorigin", HOSTNAME);
        cf.put("mydestination", DOMAIN + ", " + HOSTNAME + ", localhost");
        cf.put("inet_interfaces", "loopback-only");
        cf.put("inet_protocols", "ipv4");
        cf.put("mynetworks", "127.0.0.0/8");
        cf.put("home_mailbox", "Maildir/");
        cf.put("alias_maps", "hash:/etc/aliases");
        cf.put("alias_database", "hash:/etc/aliases");
        cf.put("maillog_file", "/dev/stdout");
        cf.put("smtp_dns_support_level", "disabled");
        cf.put("smtputf8_enable", "yes");
        cf.put("message_size_limit", "52428800");
        cf.put("mailbox_size_limit", "0");
        cf.put("biff", "no");
        cf.put("queue_run_delay", "2s");
        cf.put("minimal_backoff_time", "2s");
        cf.put("maximal_backoff_time", "4s");
        cf.putAll(settings);
        StringBuilder text = new StringBuilder();
        cf.forEach((k, v) -> {
            if (v != null) {
                text.append(k).append(" = ").append(v).append('\n');
            }
        });
        withEnv("EXTRA_HOSTS", String.join(" ", hosts));
        withCopyToContainer(Transferable.of(text.toString()), "/etc/postfix/main.cf");
        withCopyToContainer(Transferable.of("postmaster: root\nroot: alice\nbroken: \"|exit 67\"\n"), "/etc/aliases");
        waitingFor(Wait.forLogMessage(".*postfix/master.*daemon started.*", 1).withStartupTimeout(Duration.ofSeconds(120)));
    }

    /** Copies the certificate {@code cert} (and its key, from {@link TestCa#keyOf}) and the CA's to /certs. */
    PostfixContainer withCertificates(Path cert, Path ca) {
        withCopyToContainer(MountableFile.forHostPath(cert), "/certs/server.pem");
        withCopyToContainer(MountableFile.forHostPath(TestCa.keyOf(cert), 0600), "/certs/server.key");
        return withCopyToContainer(MountableFile.forHostPath(ca), "/certs/ca.pem");
    }

    /** Sets main.cf parameters ({@code name=value}) and reloads Postfix. */
    void postconf(String... settings) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("postconf", "-e"));
        cmd.addAll(List.of(settings));
        run(cmd.toArray(String[]::new));
        run("postfix", "reload");
    }

    Container.ExecResult run(String... command) throws IOException, InterruptedException {
        Container.ExecResult r = execInContainer(command);
        if (r.getExitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.getExitCode() + "): "
                    + r.getStdout() + r.getStderr() + "\nPostfix's log:\n" + getLogs());
        }
        return r;
    }
}
