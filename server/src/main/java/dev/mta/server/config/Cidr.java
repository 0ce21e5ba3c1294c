package dev.mta.server.config;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, {@code ::1/128}); a bare
 * address is a network of one. IPv4-mapped IPv6 networks ({@code ::ffff:192.0.2.0/120}) are the IPv4 network they
 * map, and an IPv4-mapped client address matches IPv4 networks, so a dual-stack listener judges clients as they are.
 * Host bits set below the prefix are refused (as Postfix's mynetworks does): {@code 10.1.2.3/8} is most likely a typo.
 * Only literal addresses are read: nothing here asks DNS.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses {@code ADDRESS[/PREFIX]}, the address optionally in brackets ({@code [::1]/128}, as Postfix writes it). */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addressText = slash < 0 ? s : s.substring(0, slash);
        if (addressText.startsWith("[") && addressText.endsWith("]")) {
            addressText = addressText.substring(1, addressText.length() - 1);
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(addressText);
        if (address == null || addressText.indexOf('%') >= 0) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("prefix length " + prefix + " is more than the " + max + " bits of "
                        + (max == 32 ? "an IPv4" : "an IPv6") + " address in " + text);
            }
        }
        if (isV4Mapped(address)) {
            if (prefix < 96) {
                throw new IllegalArgumentException("an IPv4-mapped network needs a prefix of at least 96 in " + text);
            }
            address = Arrays.copyOfRange(address, 12, 16);
            prefix -= 96;
        }
        for (int bit = prefix; bit < address.length * 8; bit++) {
            if ((address[bit >> 3] & (0x80 >> (bit & 7))) != 0) {
                throw new IllegalArgumentException("host bits set below the /" + prefix + " prefix in " + text);
            }
        }
        return new Cidr(address, prefix);
    }

    /** Whether {@code address} is in this network; false for null. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        int whole = prefix >> 3;
        for (int i = 0; i < whole; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >> rest) & 0xff;
        return (a[whole] & mask) == (network[whole] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr && ((Cidr) o).prefix == prefix && Arrays.equals(((Cidr) o).network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** As {@link #parse} reads it, IPv6 in its short form: {@code 127.0.0.0/8}, {@code ::1/128}. */
    @Override
    public String toString() {
        try {
            InetAddress a = InetAddress.getByAddress(network);
            String text = a instanceof Inet6Address ? NetUtil.toAddressString(a) : a.getHostAddress();
            return text + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }
}
