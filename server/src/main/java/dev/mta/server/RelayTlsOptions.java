package dev.mta.server;

import dev.mta.relay.RelaySettings;
import dev.mta.server.config.Defaults;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The outbound TLS policy and smarthost credentials (a picocli mixin of {@link MtaMain}). A route with credentials
 * whose policy is none or may is bad configuration: refused at start, in one line naming the key.
 */
final class RelayTlsOptions {
    @Option(names = "--relay-tls-policy", paramLabel = "MAP", defaultValue = Defaults.RELAY_TLS_POLICY,
            description = "Outbound TLS per route, keyed as --transport-map or by next hop [host]:port: none, may (STARTTLS when offered, plain text if it fails),"
                    + " encrypt (TLS required, no certificate check), verify (TLS with a trusted certificate for the host name);"
                    + " e.g. example.com=verify,[smarthost.example]:587=encrypt (default: ${DEFAULT-VALUE})")
    String tlsPolicy;

    @Option(names = "--relay-auth", paramLabel = "FILE",
            description = "Smarthost credentials, one route a line: key user password (key as in --relay-tls-policy); AUTH PLAIN or LOGIN over TLS only; keep it chmod 600 (default: none)")
    Path authFile;

    /** {@code relay} with these options' TLS policy and credentials; IllegalArgumentException naming the key when bad. */
    RelaySettings applyTo(RelaySettings relay) {
        return relay.withOutboundSecurity(tlsPolicy, authFile);
    }
}
