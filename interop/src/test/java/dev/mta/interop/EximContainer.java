package dev.mta.interop;

import org.testcontainers.containers.wait.strategy.Wait;

import java.io.IOException;
import java.time.Duration;

/**
 * Debian's Exim (exim4-daemon-light) in a container on the host's network: SMTP on 127.0.0.1:{@code port}, local
 * delivery into ~/Maildir for the users alice and bob of {@link #DOMAIN}, relaying for nobody.
 */
final class EximContainer extends MtaContainer<EximContainer> {
    static final String HOSTNAME = "exim.test";
    static final String DOMAIN = "ex.test";

    EximContainer(int port) {
        super(Docker.image("exim"), port);
        withEnv("DOMAIN", DOMAIN);
        withEnv("PRIMARY_HOSTNAME", HOSTNAME);
        waitingFor(Wait.forLogMessage(".*exim ready on.*", 1).withStartupTimeout(Duration.ofSeconds(120)));
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
