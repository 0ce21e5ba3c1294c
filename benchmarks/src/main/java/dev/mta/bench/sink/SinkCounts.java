package dev.mta.bench.sink;

/**
 * A snapshot of a {@link Sink}'s counts.
 *
 * @param connections       connections accepted
 * @param open              connections open now
 * @param dropped           connections the sink dropped on purpose
 * @param messages          messages accepted (250 at the end of data)
 * @param recipients        recipients accepted
 * @param rcptTempFailed    RCPTs answered 4xx on purpose
 * @param rcptPermFailed    RCPTs answered 5xx on purpose
 * @param dataTempFailed    messages answered 4xx on purpose at the end of data
 * @param dataPermFailed    messages answered 5xx on purpose at the end of data
 * @param withoutId         accepted messages without an X-Bench-Id header
 * @param bytes             content bytes received, accepted or not
 */
public record SinkCounts(long connections, long open, long dropped, long messages, long recipients,
                         long rcptTempFailed, long rcptPermFailed, long dataTempFailed, long dataPermFailed,
                         long withoutId, long bytes) {
}
