package dev.mta.server;

import dev.mta.queue.schedule.RetrySchedule;
import dev.mta.relay.bounce.BounceSettings;
import dev.mta.relay.transport.smtp.HopHealth;
import dev.mta.server.config.Defaults;
import dev.mta.server.config.DomainList;
import dev.mta.server.config.RecipientVerification;
import dev.mta.server.config.RelayControl;
import picocli.CommandLine.Option;

import java.nio.file.Path;

import static dev.mta.server.OptionValues.parsed;
import static dev.mta.server.OptionValues.seconds;

/**
 * The relay policy's command-line options (a picocli mixin of {@link MtaMain}): who may relay and to where, how
 * relay-domain recipients are checked, what bounces return and where failed ones go, and how long a dead next hop
 * is left alone. Each value's errors name its option.
 */
final class RelayPolicyOptions {
    // Relay control: who may relay, to where.
    @Option(names = "--mynetworks", paramLabel = "CIDRS", defaultValue = Defaults.MYNETWORKS,
            description = "Clients that may relay to any domain, IPv4 and IPv6 networks separated by commas (default: ${DEFAULT-VALUE})")
    String mynetworks;

    @Option(names = "--relay-domains", paramLabel = "DOMAINS",
            description = "Domains taken from anyone and relayed onward; .example.com covers its subdomains (default: none)")
    String relayDomains;

    @Option(names = "--local-domains", paramLabel = "DOMAINS",
            description = "Domains delivered here (Maildirs of --users, --aliases); unknown recipients get 550 5.1.1; postmaster must exist (default: none)")
    String localDomains;

    @Option(names = "--relay-recipients", paramLabel = "FILE",
            description = "Addresses and @domain catch-alls of the relay domains, one a line; others get 550 5.1.1; reread on SIGHUP (default: none)")
    Path relayRecipients;

    /** The relay control these options describe; IllegalArgumentException naming the key when a value is bad. */
    RelayControl relayControl() {
        RelayControl rc = new RelayControl(parsed("mynetworks", () -> RelayControl.networks(mynetworks)),
                parsed("relay-domains", () -> DomainList.parse(relayDomains)),
                parsed("local-domains", () -> DomainList.parse(localDomains)), relayRecipients);
        if (relayRecipients != null) {
            RelayRecipientsFile.read(relayRecipients); // a missing or bad file is bad configuration
        }
        return rc;
    }

    // --- bounces ---
    @Option(names = "--double-bounce-to", paramLabel = "ADDRESS", defaultValue = Defaults.DOUBLE_BOUNCE_TO,
            description = "Where a DSN of ours that cannot be delivered is told, once; none drops it with a log line (default: ${DEFAULT-VALUE})")
    String doubleBounceTo;

    @Option(names = "--bounce-size-limit", paramLabel = "BYTES", defaultValue = "" + Defaults.BOUNCE_SIZE_LIMIT,
            description = "A failed message up to this size comes back whole in its DSN, a larger one as its headers; 0 = headers only (default: ${DEFAULT-VALUE})")
    int bounceSizeLimit;

    /** The bounce settings these options describe; errors name the option. */
    BounceSettings bounceSettings() {
        return new BounceSettings(BounceSettings.parseAddress(doubleBounceTo), bounceSizeLimit);
    }

    // Recipient verification (call-ahead) of the relay domains: --relay-verify, --verify-sender, the TTLs.
    @Option(names = "--relay-verify", paramLabel = "MODE", defaultValue = Defaults.RELAY_VERIFY,
            description = "Verify recipients of the relay domains at RCPT: none, or callahead to their next hop (default: ${DEFAULT-VALUE})")
    String relayVerify;

    @Option(names = "--verify-sender", paramLabel = "ADDRESS",
            description = "MAIL FROM of call-ahead probes; empty for <> (default: double-bounce@ the hostname)")
    String verifySender;

    @Option(names = "--verify-positive-ttl", paramLabel = "DURATION", defaultValue = Defaults.VERIFY_POSITIVE_TTL,
            description = "How long an accepted recipient is remembered; units s m h d (default: ${DEFAULT-VALUE})")
    String verifyPositiveTtl;

    @Option(names = "--verify-negative-ttl", paramLabel = "DURATION", defaultValue = Defaults.VERIFY_NEGATIVE_TTL,
            description = "How long a rejected recipient is remembered; units s m h d (default: ${DEFAULT-VALUE})")
    String verifyNegativeTtl;

    /** The recipient verification these options describe. */
    RecipientVerification verification() {
        RecipientVerification.Mode mode = RecipientVerification.Mode.parse(relayVerify);
        return new RecipientVerification(mode, RecipientVerification.parseDomains(relayDomains), verifySender,
                parsed("verify-positive-ttl", () -> RetrySchedule.parseDuration(verifyPositiveTtl)),
                parsed("verify-negative-ttl", () -> RetrySchedule.parseDuration(verifyNegativeTtl)));
    }

    // ---- dead next hops (HopHealth) ----
    @Option(names = "--hop-backoff-min", paramLabel = "SECONDS", defaultValue = "" + Defaults.HOP_BACKOFF_MIN_SECONDS,
            description = "How long a next-hop address that refuses connections, times out at connect or greets with 421 is left alone at first (default: ${DEFAULT-VALUE})")
    long hopBackoffMin;

    @Option(names = "--hop-backoff-max", paramLabel = "SECONDS", defaultValue = "" + Defaults.HOP_BACKOFF_MAX_SECONDS,
            description = "Longest such period; each failed probe doubles it, with +/-10%% jitter (default: ${DEFAULT-VALUE})")
    long hopBackoffMax;

    HopHealth.Backoff hopBackoff() {
        java.time.Duration min = seconds("hop-backoff-min", hopBackoffMin);
        java.time.Duration max = seconds("hop-backoff-max", hopBackoffMax);
        return new HopHealth.Backoff(min, max); // its message names the option
    }
    // ---- end of dead next hops ----
}
