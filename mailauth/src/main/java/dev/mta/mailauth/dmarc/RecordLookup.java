package dev.mta.mailauth.dmarc;

import dev.mta.mailauth.dns.DnsResult;

import java.util.Optional;

/**
 * What the TXT query at {@code _dmarc.<domain>} found: one DMARC record, none (no name, no TXT, no DMARC record, or
 * several of them), or an error.
 *
 * @param record the record when {@link Status#FOUND}, else null
 */
record RecordLookup(String domain, Status status, DmarcRecord record) {
    /** How the query ended, for DMARC. */
    enum Status { FOUND, ABSENT, TEMPERROR, PERMERROR }

    static RecordLookup of(String domain, DnsResult<String> answer) {
        return switch (answer.status()) {
            case FOUND -> {
                Optional<DmarcRecord> record = DmarcRecordParser.select(answer.records());
                yield record.map(r -> new RecordLookup(domain, Status.FOUND, r))
                        .orElseGet(() -> absent(domain));
            }
            case NXDOMAIN, NODATA -> absent(domain);
            case TEMPFAIL -> new RecordLookup(domain, Status.TEMPERROR, null);
            case TOO_BIG -> new RecordLookup(domain, Status.PERMERROR, null);
        };
    }

    static RecordLookup absent(String domain) {
        return new RecordLookup(domain, Status.ABSENT, null);
    }

    static RecordLookup tempError(String domain) {
        return new RecordLookup(domain, Status.TEMPERROR, null);
    }

    boolean found() {
        return status == Status.FOUND;
    }

    boolean failed() {
        return status == Status.TEMPERROR || status == Status.PERMERROR;
    }
}
