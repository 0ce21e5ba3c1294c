package dev.mta.bench.compare;

/**
 * One run's figures. Rates are per second; latencies (the load's total, scheduled to 250) in ms; {@code cpuPer1000}
 * is CPU seconds of the server under test per 1,000 delivered messages and {@code peakPssBytes} its peak PSS (both
 * NaN / -1 for the ceiling, where no server is under test). {@code deliveredPerSecond} runs to the last arrival, the
 * drain of retries included; {@code deliveredWhileLoadingPerSecond} counts what the sink held when the load ended,
 * over the load's time: the steady state.
 */
record RunResult(String scenario, Contender contender, String server, long sent, long accepted, long failed,
                 long delivered, double acceptedPerSecond, double deliveredPerSecond,
                 double deliveredWhileLoadingPerSecond, double p50, double p99,
                 double p999, double cpuPer1000, long peakPssBytes, boolean exactlyOnce, long missing,
                 long duplicated, String note) {
}
