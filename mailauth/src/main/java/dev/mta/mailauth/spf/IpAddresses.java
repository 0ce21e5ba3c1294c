package dev.mta.mailauth.spf;

import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * IP address literals as SPF writes them (RFC 7208 5.6): strict parsing (no DNS, no leading zeros in IPv4), the
 * client address with IPv4-mapped IPv6 taken as IPv4 (section 5), and the text forms the macros need.
 */
final class IpAddresses {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IpAddresses() {
    }

    /** A dotted quad as 4 bytes, or null: no leading zeros, each part 0-255 (ip4-network of RFC 7208 5.6). */
    static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 3 && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }

    /** An RFC 4291 2.2 text address as 16 bytes, or null; a trailing dotted quad is allowed, "::" once. */
    static byte[] parseIpv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        byte[] out = new byte[16];
        if (gap < 0) {
            return groups(s, out, 0, 8, true) == 8 ? out : null;
        }
        String head = s.substring(0, gap);
        String tail = s.substring(gap + 2);
        byte[] tailBytes = new byte[16];
        int headGroups = head.isEmpty() ? 0 : groups(head, out, 0, 7, false);
        int tailGroups = tail.isEmpty() ? 0 : groups(tail, tailBytes, 0, 7, true);
        if (headGroups < 0 || tailGroups < 0 || headGroups + tailGroups > 7) {
            return null;
        }
        System.arraycopy(tailBytes, 0, out, 16 - 2 * tailGroups, 2 * tailGroups);
        return out;
    }

    /** Either kind of literal, or null. */
    static InetAddress parse(String s) {
        byte[] bytes = s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes); // no lookup: a byte array only
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The client's address as SPF sees it: IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4 (RFC 7208 section 5). */
    static byte[] clientBytes(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && isMapped(b)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    /** {@code address} with an IPv4-mapped IPv6 address turned into its IPv4 address. */
    static InetAddress client(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = clientBytes(address);
            if (b.length == 4) {
                try {
                    return InetAddress.getByAddress(b);
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }

    /** The %{i} form: a dotted quad, or 32 dot-separated nibbles for IPv6 (upper case, as the RFC 7208 suite has it). */
    static String dotted(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        StringBuilder sb = new StringBuilder(63);
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(HEX[(x >> 4) & 0xf]).append('.').append(HEX[x & 0xf]);
        }
        return sb.toString();
    }

    /** The %{c} form: a dotted quad, or IPv6 as RFC 5952 writes it (lower case, longest zero run compressed). */
    static String text(InetAddress address) {
        return NetUtil.toAddressString(address).toLowerCase(Locale.ROOT);
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /**
     * Parses colon-separated groups into {@code out} from group {@code first}; the last may be a dotted quad when
     * {@code quadAllowed}. Returns the number of 16-bit groups written, or -1.
     */
    private static int groups(String s, byte[] out, int first, int max, boolean quadAllowed) {
        String[] parts = s.split(":", -1);
        int g = first;
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            boolean last = p == parts.length - 1;
            if (last && quadAllowed && part.indexOf('.') >= 0) {
                byte[] quad = parseIpv4(part);
                if (quad == null || g + 2 > max) {
                    return -1;
                }
                System.arraycopy(quad, 0, out, 2 * g, 4);
                g += 2;
                continue;
            }
            if (part.isEmpty() || part.length() > 4 || g >= max) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < part.length(); i++) {
                int d = hexValue(part.charAt(i));
                if (d < 0) {
                    return -1;
                }
                value = value * 16 + d;
            }
            out[2 * g] = (byte) (value >> 8);
            out[2 * g + 1] = (byte) value;
            g++;
        }
        return g - first;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
