package dev.mta.server;

import dev.mta.relay.RelaySettings;
import dev.mta.relay.routing.TransportMap;
import dev.mta.server.admission.ClientLimits;
import dev.mta.server.config.HostPort;
import dev.mta.server.config.RelayControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The start-up lines an operator reads first, one each: the hostname (a warning when it is no fully qualified name),
 * the spool's absolute path, who may relay, the per-client limits, and where mail goes (MX lookup, a smarthost, or
 * nowhere). The listeners log themselves as they bind ({@code SmtpServer}).
 */
final class StartLog {
    private static final Logger log = LoggerFactory.getLogger(StartLog.class);

    private StartLog() {
    }

    static void hostnameAndSpool(String hostname, Path spool) {
        if (isFullyQualified(hostname)) {
            log.info("hostname {}", hostname);
        } else {
            log.warn("hostname {} is not a fully qualified domain name: it is our name in the greeting, EHLO and "
                    + "Received headers, and next hops may refuse an EHLO without a dot; set --hostname", hostname);
        }
        log.info("spool {}", spool.toAbsolutePath().normalize());
    }

    /** A name with a dot inside it: {@code mx.example.org}, not {@code mx}, {@code localhost} or {@code .}. */
    static boolean isFullyQualified(String hostname) {
        int dot = hostname.indexOf('.');
        return dot > 0 && dot < hostname.length() - 1;
    }

    /** One line: who may relay, to where. */
    static void relayControl(RelayControl rc, RelayRecipientsFile recipients) {
        log.info("relay control: any recipient from mynetworks {}; from anyone to relay domains {} and local domains {};"
                        + " relay recipient table {}", rc.mynetworksText(), rc.relayDomains(), rc.localDomains(),
                recipients.file() == null ? "none (relay-domain recipients not checked)"
                        : recipients.file() + " with " + recipients.recipients().current().size() + " entries");
    }

    /** Local delivery: where the mailboxes are, the aliases, the quota, VRFY and EXPN; nothing without local domains. */
    static void localMail(RelayControl rc, dev.mta.server.config.LocalMailSettings local) {
        if (rc.localDomains().isEmpty()) {
            return;
        }
        log.info("local delivery for {}: Maildirs in {}, aliases {}, quota {}; VRFY {}, EXPN {}{}", rc.localDomains(),
                local.mailRoot().root(), local.aliasesFile() == null ? "none"
                        : local.aliasesFile() + " (" + local.directory().aliases().size() + ")",
                local.quota() == 0 ? "none" : local.quota() + " bytes",
                local.queries().vrfy().name().toLowerCase(java.util.Locale.ROOT),
                local.queries().expn().name().toLowerCase(java.util.Locale.ROOT),
                local.queries().trustedOnly() ? " (trusted clients only)" : "");
    }

    /** The per-client limits and the greeting pause, when there are any. */
    static void clientLimits(ClientLimits limits) {
        if (limits.limitsClients()) {
            log.info("per client: at most {} connections open and {} new a minute (0: no limit), except {}",
                    limits.maxConnectionsPerClient(), limits.connectionsPerMinute(),
                    limits.exceptions().isEmpty() ? "none" : limits.exceptions());
        }
        if (!limits.greetPause().isZero()) {
            log.info("SMTP greeting after a {} ms pause; clients that talk first get 554", limits.greetPause().toMillis());
        }
    }

    static void relayMode(RelaySettings relay, TransportMap routes) {
        log.info("relay: {}", describe(relay, routes));
    }

    /** Where mail goes: "MX lookup on port 25", "smarthost relay.example:587", "off (--no-relay)", and the routes. */
    static String describe(RelaySettings relay, TransportMap routes) {
        if (!relay.enabled()) {
            return "off (--no-relay): mail is queued, not delivered";
        }
        StringBuilder b = new StringBuilder();
        if (routes.smarthost() != null) {
            b.append("smarthost ").append(routes.smarthost());
        } else {
            b.append("MX lookup on port ").append(relay.smtpPort()).append(" (DNS: ")
                    .append(relay.dnsServer() == null ? "the system's resolvers" : HostPort.format(relay.dnsServer()))
                    .append(')');
        }
        if (!routes.domains().isEmpty()) {
            b.append("; transport-map routes for ").append(String.join(", ", routes.domains()));
        }
        return b.toString();
    }
}
