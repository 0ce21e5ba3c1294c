package dev.mta.server.dkim;

import java.util.List;

/**
 * What one TXT query found: records (each one's strings joined), no such name, a name without TXT records, or a
 * failure to get an answer and why.
 *
 * @param records the records found, empty unless {@link Kind#FOUND}
 * @param failure why there is no answer, for {@link Kind#FAILED}; else null
 */
record TxtAnswer(Kind kind, List<String> records, String failure) {
    /** How the query ended. */
    enum Kind { FOUND, NXDOMAIN, NODATA, FAILED }

    TxtAnswer {
        records = List.copyOf(records);
    }

    static TxtAnswer found(List<String> records) {
        return records.isEmpty() ? nodata() : new TxtAnswer(Kind.FOUND, records, null);
    }

    static TxtAnswer nxdomain() {
        return new TxtAnswer(Kind.NXDOMAIN, List.of(), null);
    }

    static TxtAnswer nodata() {
        return new TxtAnswer(Kind.NODATA, List.of(), null);
    }

    static TxtAnswer failed(String why) {
        return new TxtAnswer(Kind.FAILED, List.of(), why);
    }
}
