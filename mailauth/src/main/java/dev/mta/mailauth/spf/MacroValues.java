package dev.mta.mailauth.spf;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What the macro letters of RFC 7208 7.2 stand for in one check: s, l, o (the sender), d (the domain being
 * evaluated, which include and redirect change), i, c and v (the client's address), h (HELO), r (this receiver), t
 * (the time) and p (the validated name, looked up only when a macro asks for it).
 *
 * @param validated the %{p} value once looked up, else null
 */
record MacroValues(String sender, String local, String senderDomain, String domain, InetAddress ip, String helo,
                   String receiver, long timestamp, String validated) {

    MacroValues withDomain(String newDomain) {
        return new MacroValues(sender, local, senderDomain, newDomain, ip, helo, receiver, timestamp, validated);
    }

    MacroValues withValidated(String name) {
        return new MacroValues(sender, local, senderDomain, domain, ip, helo, receiver, timestamp, name);
    }

    /** The value of a macro letter (lower case); "unknown" for %{p} when no name was validated. */
    String value(char letter) {
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> local;
            case 'o' -> senderDomain;
            case 'd' -> domain;
            case 'i' -> IpAddresses.dotted(ip);
            case 'p' -> validated == null ? "unknown" : validated;
            case 'v' -> ip instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> IpAddresses.text(ip);
            case 'r' -> receiver;
            case 't' -> Long.toString(timestamp);
            default -> "";
        };
    }
}
