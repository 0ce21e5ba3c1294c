package dev.mta.server.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Verification of received mail (SPF, DKIM, DMARC into Authentication-Results) on the SMTP listener: whom it checks,
 * what a DMARC reject or a temporary error does, and its DNS time, signature count and worker threads.
 *
 * @param workers threads for signature checks (RSA, Ed25519), never an event loop
 */
public record MailauthSettings(Mode mode, boolean enforceReject, boolean deferOnTempError, Duration dnsTimeout,
                               int maxSignatures, int workers) {

    /** Whom verification checks. */
    public enum Mode {
        /** Clients outside mynetworks that did not authenticate. */
        UNTRUSTED,
        /** Every client on the SMTP listener (tests on loopback). */
        ALL,
        OFF
    }

    /** The embedded defaults ({@link Defaults}). */
    public static final MailauthSettings DEFAULT = new MailauthSettings(mode(Defaults.MAILAUTH_VERIFY),
            enforce(Defaults.MAILAUTH_DMARC_ENFORCE), deferOnTempError(Defaults.MAILAUTH_ON_TEMPERROR),
            Duration.ofSeconds(Defaults.MAILAUTH_DNS_TIMEOUT_SECONDS), Defaults.DKIM_MAX_SIGNATURES,
            Defaults.mailauthWorkers());

    public MailauthSettings {
        if (dnsTimeout.isNegative() || dnsTimeout.isZero() || dnsTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("mailauth-dns-timeout must be from 1 to 300 seconds: "
                    + dnsTimeout.toSeconds());
        }
        Limits.between("dkim-max-signatures", maxSignatures, 0, 50);
        Limits.between("mailauth-workers", workers, 1, 256);
    }

    /** These settings checking {@code m}. */
    public MailauthSettings withMode(Mode m) {
        return new MailauthSettings(m, enforceReject, deferOnTempError, dnsTimeout, maxSignatures, workers);
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** {@code --mailauth-verify}: untrusted, all or off. */
    public static Mode mode(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "untrusted" -> Mode.UNTRUSTED;
            case "all" -> Mode.ALL;
            case "off" -> Mode.OFF;
            default -> throw new IllegalArgumentException("mailauth-verify must be untrusted, all or off: " + text);
        };
    }

    /** {@code --mailauth-dmarc-enforce}: off or reject. */
    public static boolean enforce(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "off" -> false;
            case "reject" -> true;
            default -> throw new IllegalArgumentException("mailauth-dmarc-enforce must be off or reject: " + text);
        };
    }

    /** {@code --mailauth-on-temperror}: accept or defer. */
    public static boolean deferOnTempError(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "accept" -> false;
            case "defer" -> true;
            default -> throw new IllegalArgumentException("mailauth-on-temperror must be accept or defer: " + text);
        };
    }
}
