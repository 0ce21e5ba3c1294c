package dev.mta.mailauth.results;

import java.util.List;

/**
 * An Authentication-Results header as read: the authserv-id, the version if one was given ("" if not) and the
 * results ("none" gives none).
 */
public record ParsedAuthResults(String authservId, String version, List<Entry> results) {

    /**
     * One method's result, method and result words in lower case (they are case-insensitive); values unquoted, an
     * address with a quoted local part as written.
     *
     * @param version the method's version ("dkim/1"), "" if none
     * @param reason  the reason, "" if none
     */
    public record Entry(String method, String version, String result, String reason,
                        List<ResultProperty> properties) {
        public Entry {
            properties = List.copyOf(properties);
        }
    }

    public ParsedAuthResults {
        results = List.copyOf(results);
    }
}
