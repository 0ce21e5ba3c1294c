package dev.mta.server.config;

import java.util.Locale;

/**
 * What VRFY and EXPN tell, and to whom (RFC 5321 3.5): off by default, since a server that confirms addresses
 * helps whoever harvests them.
 *
 * @param vrfy        {@code off}: 252 to all; {@code local}: 250 for a local user or alias, 550 5.1.1 for an unknown
 *                    one, 252 for others
 * @param expn        {@code off}: 502; {@code lists}: the members of a local alias, 550 5.1.1 for an unknown one
 * @param trustedOnly only clients in mynetworks and authenticated ones get real answers; others as if off
 */
public record AddressQueries(Vrfy vrfy, Expn expn, boolean trustedOnly) {
    /** Neither command tells anything. */
    public static final AddressQueries OFF = new AddressQueries(Vrfy.OFF, Expn.OFF, false);

    /** {@code --vrfy}. */
    public enum Vrfy { OFF, LOCAL }

    /** {@code --expn}. */
    public enum Expn { OFF, LISTS }

    /** {@code --vrfy}'s value, in any case; the error names the key. */
    public static Vrfy vrfy(String text) {
        switch (lower(text)) {
            case "off":
                return Vrfy.OFF;
            case "local":
                return Vrfy.LOCAL;
            default:
                throw new IllegalArgumentException("vrfy must be off or local, not " + text);
        }
    }

    /** {@code --expn}'s value, in any case; the error names the key. */
    public static Expn expn(String text) {
        switch (lower(text)) {
            case "off":
                return Expn.OFF;
            case "lists":
                return Expn.LISTS;
            default:
                throw new IllegalArgumentException("expn must be off or lists, not " + text);
        }
    }

    /** {@code --vrfy-expn-clients}: {@code any} or {@code trusted}; the error names the key. */
    public static boolean trustedOnly(String text) {
        switch (lower(text)) {
            case "any":
                return false;
            case "trusted":
                return true;
            default:
                throw new IllegalArgumentException("vrfy-expn-clients must be any or trusted, not " + text);
        }
    }

    private static String lower(String text) {
        return text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    }
}
