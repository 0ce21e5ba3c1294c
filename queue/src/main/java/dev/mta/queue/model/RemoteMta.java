package dev.mta.queue.model;

import java.net.InetSocketAddress;

/**
 * The next hop a delivery attempt talked to: its host name (the MX or relay name, as routed) and the address
 * connected to. Named in logs as {@code host[address]:port} and in DSNs as {@code Remote-MTA: dns; host}.
 */
public record RemoteMta(String host, InetSocketAddress address) {
    public RemoteMta {
        if (host == null || host.isEmpty()) {
            host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        }
    }

    /** The name a DSN gives (RFC 3464 2.3.5, type dns): the host name, or the address when it had none (as Postfix). */
    public String dnsName() {
        return host;
    }

    @Override
    public String toString() {
        String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return host + "[" + ip + "]:" + address.getPort();
    }
}
