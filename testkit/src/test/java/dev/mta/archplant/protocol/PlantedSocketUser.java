package dev.mta.archplant.protocol;

import java.io.IOException;
import java.net.Socket;

/** Breaks "the protocol uses no sockets": a parser that dials out. */
public final class PlantedSocketUser {
    public static String greeting(String host) throws IOException {
        try (Socket s = new Socket(host, 25)) {
            return new String(s.getInputStream().readNBytes(3), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
