package dev.mta.mailauth.dns;

/**
 * A query's result and how long it may be reused.
 *
 * @param ttlSeconds seconds the answer may be cached: the records' TTL, the negative TTL, or 0 (never cached)
 */
record TimedResult<T>(DnsResult<T> result, long ttlSeconds) {
    static <T> TimedResult<T> tempfail() {
        return new TimedResult<>(DnsResult.tempfail(), 0);
    }
}
