package dev.mta.mailauth.dns;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The reverse-lookup name of an address: in-addr.arpa (RFC 1035 3.5) or ip6.arpa nibbles (RFC 3596 2.5). */
final class ReverseNames {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ReverseNames() {
    }

    static String of(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder out = new StringBuilder(b.length == 4 ? 29 : 73);
        if (address instanceof Inet4Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                out.append(b[i] & 0xFF).append('.');
            }
            return out.append("in-addr.arpa").toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            out.append(HEX[b[i] & 0x0F]).append('.').append(HEX[(b[i] >> 4) & 0x0F]).append('.');
        }
        return out.append("ip6.arpa").toString();
    }
}
