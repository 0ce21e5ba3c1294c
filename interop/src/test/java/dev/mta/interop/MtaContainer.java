package dev.mta.interop;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * An MTA of another make in a container on the host's network, its SMTP server on 127.0.0.1:{@code port}, local
 * delivery into ~/Maildir for the users alice and bob.
 */
abstract class MtaContainer<SELF extends MtaContainer<SELF>> extends GenericContainer<SELF> {
    private final int port;

    MtaContainer(ImageFromDockerfile image, int port) {
        super(image);
        this.port = port;
        withNetworkMode("host");
        withEnv("SMTP_PORT", Integer.toString(port));
        withLabel(Docker.LABEL, "true");
    }

    int port() {
        return port;
    }

    /** Starts it and waits until its SMTP port takes connections (host networking: no mapped port to wait on). */
    @Override
    public void start() {
        super.start();
        try {
            if (!Ports.awaitListening(port, Duration.ofSeconds(60))) {
                throw new IllegalStateException(getClass().getSimpleName() + " is not listening on 127.0.0.1:" + port
                        + "\n" + getLogs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The files of {@code user}'s Maildir ({@code new/} and {@code cur/}), each as its bytes. */
    List<byte[]> maildir(String user) throws IOException, InterruptedException {
        return Maildirs.read(this, "/home/" + user + "/Maildir");
    }
}
