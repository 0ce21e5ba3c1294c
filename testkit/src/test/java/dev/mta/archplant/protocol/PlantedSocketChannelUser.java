package dev.mta.archplant.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Breaks "the protocol uses no sockets" through java.nio.channels. */
public final class PlantedSocketChannelUser {
    public static SocketChannel open(InetSocketAddress to) throws IOException {
        return SocketChannel.open(to);
    }
}
