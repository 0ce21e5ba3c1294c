package dev.mta.relay.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configured routes that win over DNS: a domain (or "*" for every domain) to a host:port, i.e. a smarthost.
 * Written as "example.com=mx.internal:25,*=relay.example:587".
 */
public final class TransportMap {
    /** A route's target. */
    public record Target(String host, int port) {
        /** host:port, an IPv6 address in brackets, as the map writes it. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final Map<String, Target> routes;

    private TransportMap(Map<String, Target> routes) {
        this.routes = routes;
    }

    public static TransportMap empty() {
        return new TransportMap(Map.of());
    }

    public static TransportMap parse(String text) {
        Map<String, Target> map = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String entry : text.split(",")) {
                String[] kv = entry.strip().split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("transport map entry needs domain=host:port: " + entry);
                }
                String target = kv[1].strip();
                int colon = target.lastIndexOf(':');
                if (colon <= 0 || target.startsWith("[") && !target.contains("]:")) {
                    throw new IllegalArgumentException("transport map target needs host:port: " + target);
                }
                String host = target.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port;
                try {
                    port = Integer.parseInt(target.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("transport map target needs a port from 1 to 65535: " + target);
                }
                map.put(kv[0].strip().toLowerCase(Locale.ROOT), new Target(host, port));
            }
        }
        return new TransportMap(map);
    }

    /** The route for a domain: its own entry, else "*", else null (use DNS). */
    public Target lookup(String domain) {
        Target t = routes.get(domain.toLowerCase(Locale.ROOT));
        return t != null ? t : routes.get("*");
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** The smarthost: the target of "*", which takes every domain without a route of its own; null for none. */
    public Target smarthost() {
        return routes.get("*");
    }

    /** The domains with a route of their own (lower case, in the order written; "*" is not one). */
    public List<String> domains() {
        return routes.keySet().stream().filter(d -> !d.equals("*")).toList();
    }
}
