package dev.mta.interop;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Debian's Exim (exim4-daemon-light) in a container on the host's network: SMTP on 127.0.0.1:{@code port}, local
 * delivery into ~/Maildir for the users alice and bob of {@link #DOMAIN}, relaying for nobody.
 */
final class EximContainer extends GenericContainer<EximContainer> {
    static final String HOSTNAME = "exim.test";
    static final String DOMAIN = "ex.test";

    private final int port;

    EximContainer(int port) {
        super(Docker.image("exim"));
        this.port = port;
        withNetworkMode("host");
        withEnv("SMTP_PORT", Integer.toString(port));
        withEnv("DOMAIN", DOMAIN);
        withEnv("PRIMARY_HOSTNAME", HOSTNAME);
        waitingFor(Wait.forLogMessage(".*exim ready on.*", 1).withStartupTimeout(Duration.ofSeconds(120)));
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
                throw new IllegalStateException("Exim is not listening on 127.0.0.1:" + port + "\n" + getLogs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<byte[]> maildir(String user) throws IOException, InterruptedException {
        return Maildirs.read(this, "/home/" + user + "/Maildir");
    }

    /** Exim's main log (deliveries and refusals). */
    String mainLog() {
        try {
            return execInContainer("cat", "/var/log/exim4/mainlog").getStdout();
        } catch (IOException | InterruptedException e) {
            return "(no log: " + e + ")";
        }
    }
}
