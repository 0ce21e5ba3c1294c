package dev.mta.bench.load;

import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT} or {@code [IPv6]:PORT} into an address the load is sent to. */
final class Target {
    private Target() {
    }

    static InetSocketAddress parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("expected [IPv6]:PORT, not " + text);
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected HOST:PORT, not " + text);
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port out of range: " + text);
        }
        InetSocketAddress a = new InetSocketAddress(host, p);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + host);
        }
        return a;
    }
}
