package dev.mta.server.config;

import dev.mta.relay.verify.VerifySettings;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Which recipients are verified at RCPT, and how: those of the relay domains, by call-ahead to their next hop
 * ({@code --relay-verify=callahead}), or not at all ({@code none}).
 *
 * @param mode         none or callahead
 * @param relayDomains the domains we relay for, lower case; ".example.com" also covers its subdomains
 * @param sender       the probes' MAIL FROM; null for double-bounce@ our hostname
 * @param positiveTtl  how long an accepted recipient is remembered
 * @param negativeTtl  how long a rejected one is remembered
 */
public record RecipientVerification(Mode mode, List<String> relayDomains, String sender, Duration positiveTtl,
                                    Duration negativeTtl) {
    public enum Mode {
        NONE, CALLAHEAD;

        /** "none" or "callahead", in any case. */
        public static Mode parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("relay-verify must be none or callahead, not " + text);
            }
        }
    }

    /** No verification; the defaults for the rest. */
    public static final RecipientVerification NONE = new RecipientVerification(Mode.NONE, List.of(), null,
            Duration.ofSeconds(VerifySettings.DEFAULT_POSITIVE_TTL_SECONDS),
            Duration.ofSeconds(VerifySettings.DEFAULT_NEGATIVE_TTL_SECONDS));

    public RecipientVerification {
        relayDomains = relayDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).toList();
        if (mode == Mode.CALLAHEAD && relayDomains.isEmpty()) {
            throw new IllegalArgumentException("relay-verify=callahead needs relay-domains: the domains whose recipients are verified");
        }
        // Checked now, whatever the hostname: one line naming the key when it is wrong (fields are not set yet here).
        new VerifySettings(sender != null ? sender : VerifySettings.DEFAULT_SENDER_LOCAL_PART + "@localhost",
                positiveTtl, negativeTtl, VerifySettings.DEFAULT_MAX_ENTRIES);
    }

    /** Domains from a comma- or space-separated list. */
    public static List<String> parseDomains(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("[,\\s]+"));
    }

    /** Call-ahead with these domains and the other settings as they are. */
    public RecipientVerification callAhead(List<String> domains) {
        return new RecipientVerification(Mode.CALLAHEAD, domains, sender, positiveTtl, negativeTtl);
    }

    public boolean enabled() {
        return mode == Mode.CALLAHEAD;
    }

    /** Whether {@code domain} (lower case) is one we relay for. */
    public boolean isRelayDomain(String domain) {
        for (String d : relayDomains) {
            if (d.startsWith(".") ? domain.endsWith(d) : domain.equals(d)) {
                return true;
            }
        }
        return false;
    }

    /** The probes' MAIL FROM for a server named {@code hostname}. */
    public String sender(String hostname) {
        return sender != null ? sender : VerifySettings.DEFAULT_SENDER_LOCAL_PART + "@" + hostname;
    }

    /** The verifier's settings for a server named {@code hostname}. */
    public VerifySettings settings(String hostname) {
        return new VerifySettings(sender(hostname), positiveTtl, negativeTtl, VerifySettings.DEFAULT_MAX_ENTRIES);
    }
}
