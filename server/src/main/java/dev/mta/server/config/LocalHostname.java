package dev.mta.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The machine's own name, the default for the greeting and Received headers. */
final class LocalHostname {
    private LocalHostname() {
    }

    static String get() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
