package dev.mta.queue.model;

import java.util.Locale;

/**
 * Where a recipient's mail goes, as Postfix's transport maps write it: {@code transport:nexthop}. The transport
 * names the way of delivery ("smtp"; "local" comes with local delivery); the next hop is a domain to look up (MX),
 * or {@code [host]:port} to use as it is. Recipients of one message with one route go in one delivery.
 */
public record Route(String transport, String nexthop) {
    public static final String SMTP = "smtp";

    public Route {
        transport = transport.toLowerCase(Locale.ROOT);
        nexthop = nexthop.toLowerCase(Locale.ROOT);
    }

    /** SMTP to the mail exchangers of {@code domain}. */
    public static Route smtp(String domain) {
        return new Route(SMTP, domain);
    }

    @Override
    public String toString() {
        return transport + ":" + nexthop;
    }
}
