package dev.mta.protocol.trace;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Builds the Received: trace header of RFC 5321 4.4 that a receiving server prepends to each message. */
public final class ReceivedHeader {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /** The last date written: every message of the same second (and zone) reuses its text. */
    private record Stamp(long second, ZoneOffset offset, String text) {
    }

    private static volatile Stamp last;

    private ReceivedHeader() {
    }

    /**
     * The header with its final CRLF, folded with tabs.
     *
     * @param helo         the name the client gave in HELO/EHLO
     * @param client       the client's IP address
     * @param byHost       this server's host name
     * @param protocol     the "with" keyword (RFC 3848/6531): SMTP, ESMTP, UTF8SMTP...
     * @param id           the queue id of the message
     * @param forRecipient the single recipient, or null when there are several (no address harvesting)
     * @param when         the time of receipt
     */
    public static String format(String helo, InetAddress client, String byHost, String protocol, String id,
                                String forRecipient, ZonedDateTime when) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("Received: from ").append(printable(helo))
                .append(" (").append(addressLiteral(client)).append(")\r\n")
                .append("\tby ").append(byHost).append(" with ").append(protocol).append(" id ").append(id);
        if (forRecipient != null) {
            sb.append("\r\n\tfor <").append(forRecipient).append('>');
        }
        sb.append(";\r\n\t").append(date(when)).append("\r\n");
        return sb.toString();
    }

    /** The RFC 5322 date of {@code when}; formatted once a second, as most messages arrive in a second that had one. */
    static String date(ZonedDateTime when) {
        Stamp l = last;
        long second = when.toEpochSecond();
        if (l != null && l.second() == second && l.offset().equals(when.getOffset())) {
            return l.text();
        }
        String text = DATE.format(when);
        last = new Stamp(second, when.getOffset(), text);
        return text;
    }

    /** An address literal of RFC 5321 4.1.3: [192.0.2.1] or [IPv6:2001:db8::1]. */
    public static String addressLiteral(InetAddress address) {
        if (address == null) {
            return "unknown";
        }
        String host = NetUtil.toAddressString(address);
        return address instanceof Inet6Address ? "[IPv6:" + host + "]" : "[" + host + "]";
    }

    /** The client's HELO name kept to visible ASCII, so the header stays well-formed whatever it sent. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 255; i++) {
            char c = s.charAt(i);
            sb.append(c > 32 && c < 127 && c != '(' && c != ')' && c != ';' ? c : '?');
        }
        return sb.toString();
    }
}
