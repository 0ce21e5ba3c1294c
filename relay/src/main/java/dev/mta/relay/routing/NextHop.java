package dev.mta.relay.routing;

import java.net.InetSocketAddress;

/** One address to try for a destination, with the host name it was found under. */
public record NextHop(String host, InetSocketAddress address) {
    /** host[ip]:port */
    @Override
    public String toString() {
        return host + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
    }
}
