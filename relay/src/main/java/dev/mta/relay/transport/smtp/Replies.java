package dev.mta.relay.transport.smtp;

import io.netty.handler.codec.smtp.SmtpResponse;

/** Helpers for the next hop's replies. */
public final class Replies {
    private Replies() {
    }

    /** "550 5.1.1 no such user" from a (possibly multi-line) reply, lines joined with spaces. */
    public static String text(SmtpResponse r) {
        StringBuilder sb = new StringBuilder().append(r.code());
        for (CharSequence d : r.details()) {
            sb.append(' ').append(d);
        }
        return sb.toString();
    }

    public static boolean isPositive(SmtpResponse r) {
        return r.code() >= 200 && r.code() < 400;
    }
}
