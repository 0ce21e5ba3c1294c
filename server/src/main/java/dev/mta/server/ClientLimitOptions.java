package dev.mta.server;

import dev.mta.server.admission.ClientLimits;
import dev.mta.server.config.Cidr;
import dev.mta.server.config.Defaults;
import dev.mta.server.config.RelayControl;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

import static dev.mta.server.OptionValues.parsed;

/**
 * Per-client limits and the greeting pause, a picocli mixin of {@link MtaMain}: connections from one address
 * (an IPv6 client's /64) open at once and new a minute, the clients exempt from them, and the SMTP listener's
 * pause before its greeting. Each value's errors name its option.
 */
final class ClientLimitOptions {
    @Option(names = "--max-connections-per-client", paramLabel = "N", defaultValue = "" + Defaults.MAX_CONNECTIONS_PER_CLIENT,
            description = "Connections open at once from one client address (an IPv6 /64); more get 421 4.7.0; 0 = no limit (default: ${DEFAULT-VALUE})")
    int maxPerClient;

    @Option(names = "--max-connection-rate", paramLabel = "N", defaultValue = "" + Defaults.MAX_CONNECTION_RATE,
            description = "New connections a minute from one client address; more get 421 4.7.0; 0 = no limit (default: ${DEFAULT-VALUE})")
    int ratePerMinute;

    @Option(names = "--client-limit-exceptions", paramLabel = "CIDRS",
            description = "Clients the two limits above do not count, or none (default: the --mynetworks networks)")
    String exceptions;

    @Option(names = "--greet-pause", paramLabel = "SECONDS", defaultValue = Defaults.GREET_PAUSE,
            description = "Wait before the SMTP listener's greeting; a client that talks first gets 554 5.5.0 and the close; 0 = greet at once (default: ${DEFAULT-VALUE})")
    String greetPause;

    /** The limits these options describe, exempting {@code relayControl}'s networks unless told otherwise. */
    ClientLimits clientLimits(RelayControl relayControl) {
        List<Cidr> exempt = exceptions == null ? relayControl.mynetworks()
                : exceptions.strip().equalsIgnoreCase("none") ? List.of()
                : parsed("client-limit-exceptions", () -> RelayControl.networks(exceptions));
        Duration pause = parsed("greet-pause", () -> seconds(greetPause));
        return new ClientLimits(maxPerClient, ratePerMinute, exempt, pause); // its errors name the option
    }

    /** Decimal seconds ("6", "0.5") to a duration. */
    private static Duration seconds(String text) {
        try {
            return Duration.ofNanos(new java.math.BigDecimal(text.trim()).movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a number of seconds: " + text);
        }
    }
}
