package dev.mta.server.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Parses listen addresses: "127.0.0.1:2525", "[::1]:2525", "localhost:25", ":2525" (all addresses). */
public final class HostPort {
    private HostPort() {
    }

    /**
     * A list of addresses separated by commas ("0.0.0.0:25, [::]:25"), in order, none twice; at least one. The
     * errors name the entry.
     */
    public static List<InetSocketAddress> parseList(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            if (entry.isBlank()) {
                throw new IllegalArgumentException("empty address in " + text.strip());
            }
            InetSocketAddress a = parse(entry);
            if (out.contains(a)) {
                throw new IllegalArgumentException(entry.strip() + " is given twice");
            }
            out.add(a);
        }
        return List.copyOf(out);
    }

    public static InetSocketAddress parse(String text) {
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [IPv6]:PORT, got " + text);
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected HOST:PORT, got " + text);
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text);
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        return host.isEmpty() ? new InetSocketAddress(p) : new InetSocketAddress(host, p);
    }

    /** The address in the form {@link #parse} reads. */
    public static String format(InetSocketAddress a) {
        // Written short ("::1", not "0:0:0:0:0:0:0:1"), as people write it and the mail log does.
        String host = a.getAddress() != null ? io.netty.util.NetUtil.toAddressString(a.getAddress()) : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
