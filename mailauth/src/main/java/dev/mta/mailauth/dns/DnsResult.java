package dev.mta.mailauth.dns;

import java.util.List;

/**
 * What one DNS query found. {@link Status#NXDOMAIN} and {@link Status#NODATA} are both "nothing there" (SPF counts
 * them as void lookups, RFC 7208 4.6.4); {@link Status#TEMPFAIL} is a timeout, SERVFAIL or any other failure to get an
 * answer (a temperror in SPF, DKIM and DMARC, never a fail); {@link Status#TOO_BIG} is a TXT answer over the size
 * limit (a permerror).
 *
 * @param records the records found (empty unless FOUND), in the order the server gave them
 */
public record DnsResult<T>(Status status, List<T> records) {
    /** How a query ended. */
    public enum Status { FOUND, NXDOMAIN, NODATA, TEMPFAIL, TOO_BIG }

    public DnsResult {
        records = List.copyOf(records);
        if ((status == Status.FOUND) == records.isEmpty()) {
            throw new IllegalArgumentException(status + " with " + records.size() + " records");
        }
    }

    public static <T> DnsResult<T> found(List<T> records) {
        return records.isEmpty() ? nodata() : new DnsResult<>(Status.FOUND, records);
    }

    public static <T> DnsResult<T> nxdomain() {
        return new DnsResult<>(Status.NXDOMAIN, List.of());
    }

    public static <T> DnsResult<T> nodata() {
        return new DnsResult<>(Status.NODATA, List.of());
    }

    public static <T> DnsResult<T> tempfail() {
        return new DnsResult<>(Status.TEMPFAIL, List.of());
    }

    public static <T> DnsResult<T> tooBig() {
        return new DnsResult<>(Status.TOO_BIG, List.of());
    }

    public boolean found() {
        return status == Status.FOUND;
    }

    /** NXDOMAIN or no records of the type: a void lookup in SPF's sense. */
    public boolean isVoid() {
        return status == Status.NXDOMAIN || status == Status.NODATA;
    }
}
