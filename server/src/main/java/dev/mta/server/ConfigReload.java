package dev.mta.server;

import dev.mta.relay.routing.TransportMap;
import dev.mta.server.policy.RecipientTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What SIGHUP does to the configuration: reads the command line the process was started with again, with the
 * --config file it names, checks all of it as a start would, and only when all of it is good puts the new routes
 * (transport map), relay rules (mynetworks, relay and local domains, the relay recipient table, read afresh) and log
 * levels in force, each swapped atomically, so no connection is dropped and none sees half of a change. Each changed
 * key is logged, old value and new; a change to any other key is logged as waiting for a restart. A configuration
 * that does not check out changes nothing and is logged with its one-line reason. Runs on the signal's thread, never
 * an event loop.
 */
final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    /** The keys a reload puts in force; a change to any other waits for the next start. */
    static final Set<String> RELOADED = Set.of("transport-map", "mynetworks", "relay-domains", "local-domains",
            "relay-recipients", "log-level");

    private final String[] args;
    private final Mta mta;
    private final LogLevelSwitch logLevels;
    /** Each key's value in force: the start's, or a reload's for the keys a reload puts in force. */
    private Map<String, String> inForce;

    ConfigReload(String[] args, Mta mta, LogLevelSwitch logLevels, EffectiveSettings atStart) {
        this.args = args.clone();
        this.mta = mta;
        this.logLevels = logLevels;
        this.inForce = atStart.values();
    }

    /** Reloads (see the class comment); returns whether the new configuration was taken. */
    synchronized boolean reload() {
        CommandLine cmd = MtaMain.commandLine(args);
        CheckedOptions next;
        RecipientTable table;
        try {
            cmd.parseArgs(args);
            next = ((MtaMain) cmd.getCommand()).check();
            Path recipients = next.config().relayControl().recipientsFile();
            table = recipients == null ? null : RelayRecipientsFile.read(recipients);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            log.error("configuration not reloaded, the settings in force stay: {}", e.getMessage());
            return false;
        }
        Map<String, String> taken = new HashMap<>(inForce);
        int changes = 0;
        for (Map.Entry<String, String> e : EffectiveSettings.of(cmd.getCommandSpec()).values().entrySet()) {
            String key = e.getKey();
            String before = inForce.get(key);
            String after = e.getValue();
            if (EffectiveSettings.same(before, after)) {
                continue;
            }
            if (RELOADED.contains(key)) {
                log.info("reload: {}: {} -> {}", key, show(before), show(after));
                taken.put(key, after);
                changes++;
            } else {
                log.warn("reload: {}: {} -> {} takes effect at the next start; until then {} stays", key, show(before),
                        show(after), show(before));
            }
        }
        mta.replaceRoutes(TransportMap.parse(next.config().relay().transportMap()));
        mta.replaceRelayRules(next.config().relayControl(), next.config().verification(), table);
        logLevels.apply(next.logLevels());
        inForce = taken;
        Path file = ConfigFile.find(args);
        log.info("configuration reloaded from {}: {} change{} in force", file == null ? "the command line" : file,
                changes, changes == 1 ? "" : "s");
        return true;
    }

    private static String show(String value) {
        return value == null || value.isEmpty() ? "(none)" : value;
    }
}
