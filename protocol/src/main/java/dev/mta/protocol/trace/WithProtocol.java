package dev.mta.protocol.trace;

/**
 * The "with" keyword of a Received header (RFC 3848, RFC 6531 for SMTPUTF8): SMTP or ESMTP by the greeting, UTF8SMTP
 * for an SMTPUTF8 transaction, with S when the session ran under TLS and A when the client had authenticated.
 */
public final class WithProtocol {
    private WithProtocol() {
    }

    /** The keyword for a session greeted with EHLO ({@code esmtp}) or HELO, and the transaction's circumstances. */
    public static String keyword(boolean esmtp, boolean smtputf8, boolean tls, boolean authenticated) {
        if (!esmtp && !smtputf8) {
            return "SMTP"; // RFC 3848 defines no S or A forms of plain SMTP: HELO offers neither STARTTLS nor AUTH
        }
        String base = smtputf8 ? "UTF8SMTP" : "ESMTP";
        return base + (tls ? "S" : "") + (authenticated ? "A" : "");
    }
}
