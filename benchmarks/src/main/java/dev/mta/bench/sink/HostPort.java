package dev.mta.bench.sink;

import java.net.InetSocketAddress;

/** HOST:PORT as the command line writes it; an IPv6 host goes in brackets ({@code [::1]:2525}). */
final class HostPort {
    private HostPort() {
    }

    static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT, got " + text);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + text);
        }
        return new InetSocketAddress(host, port);
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
