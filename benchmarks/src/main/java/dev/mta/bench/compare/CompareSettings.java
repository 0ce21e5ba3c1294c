package dev.mta.bench.compare;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A comparison: the scenarios, and for each the runs, with the same load (messages, recipients, reply timeout,
 * warm-up messages first) and the same sink (a share of RCPTs deferred); where this MTA comes from and its JVM
 * options; how long delivery may take after the load ends.
 */
record CompareSettings(List<Scenario> scenarios, List<Contender> runs, long messages, int recipients, long warmup,
                       double sinkRcptTempFailPct, Path mtaJar, List<String> mtaJvmOptions, Duration timeout,
                       Duration drainTimeout, boolean quiet) {
}
