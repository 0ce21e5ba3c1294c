package dev.mta.server;

import dev.mta.server.config.Defaults;
import dev.mta.server.config.MailauthSettings;
import picocli.CommandLine.Option;

import static dev.mta.server.OptionValues.seconds;

/**
 * Verification of received mail (SPF, DKIM, DMARC into Authentication-Results), a picocli mixin of {@link MtaMain}.
 * Each value's errors name its key.
 */
final class MailauthOptions {
    @Option(names = "--mailauth-verify", paramLabel = "WHO", defaultValue = Defaults.MAILAUTH_VERIFY,
            description = "Verify SPF, DKIM and DMARC of mail on the SMTP listener and prepend Authentication-Results: "
                    + "untrusted (clients outside mynetworks that did not authenticate), all, or off (default: ${DEFAULT-VALUE})")
    String verify;

    @Option(names = "--mailauth-dmarc-enforce", paramLabel = "MODE", defaultValue = Defaults.MAILAUTH_DMARC_ENFORCE,
            description = "off (record only) or reject: a DMARC fail under a reject policy gets 550 5.7.26 after DATA (default: ${DEFAULT-VALUE})")
    String dmarcEnforce;

    @Option(names = "--mailauth-on-temperror", paramLabel = "MODE", defaultValue = Defaults.MAILAUTH_ON_TEMPERROR,
            description = "A temporary error (DNS) in a check: accept (recorded) or defer (451 4.7.24) (default: ${DEFAULT-VALUE})")
    String onTempError;

    @Option(names = "--mailauth-dns-timeout", paramLabel = "SECONDS",
            defaultValue = "" + Defaults.MAILAUTH_DNS_TIMEOUT_SECONDS,
            description = "Time for each DNS query of the checks; past it the check is a temperror (default: ${DEFAULT-VALUE})")
    long dnsTimeout;

    @Option(names = "--dkim-max-signatures", paramLabel = "N", defaultValue = "" + Defaults.DKIM_MAX_SIGNATURES,
            description = "DKIM signatures verified per message, the rest ignored (default: ${DEFAULT-VALUE})")
    int maxSignatures;

    @Option(names = "--mailauth-workers", paramLabel = "N", defaultValue = "" + Defaults.MAILAUTH_WORKERS,
            description = "Threads for signature checks, never an event loop; 0 = one per core (default: ${DEFAULT-VALUE})")
    int workers;

    /** The settings these options describe; errors name the key. */
    MailauthSettings settings() {
        if (workers < 0) {
            throw new IllegalArgumentException("mailauth-workers cannot be negative: " + workers);
        }
        if (dnsTimeout > 300) {
            throw new IllegalArgumentException("mailauth-dns-timeout must be from 1 to 300 seconds, not " + dnsTimeout);
        }
        return new MailauthSettings(MailauthSettings.mode(verify), MailauthSettings.enforce(dmarcEnforce),
                MailauthSettings.deferOnTempError(onTempError), seconds("mailauth-dns-timeout", dnsTimeout),
                maxSignatures, Defaults.mailauthWorkers(workers));
    }
}
