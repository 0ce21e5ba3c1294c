package dev.mta.queue.model;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The next hop a delivery attempt talked to: its host name (the MX or relay name, as routed) and the address
 * connected to. Named in logs as {@code host[address]:port} and in DSNs as {@code Remote-MTA: dns; host}.
 */
public final class RemoteMta {
    private final String host;
    private final InetSocketAddress address;
    /** Built once: every outcome of every recipient on a connection names it. */
    private final String text;

    public RemoteMta(String host, InetSocketAddress address) {
        String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        this.host = host == null || host.isEmpty() ? ip : host;
        this.address = address;
        this.text = this.host + "[" + ip + "]:" + address.getPort();
    }

    public String host() {
        return host;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The name a DSN gives (RFC 3464 2.3.5, type dns): the host name, or the address when it had none (as Postfix). */
    public String dnsName() {
        return host;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteMta && ((RemoteMta) o).host.equals(host) && ((RemoteMta) o).address.equals(address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, address);
    }

    @Override
    public String toString() {
        return text;
    }
}
