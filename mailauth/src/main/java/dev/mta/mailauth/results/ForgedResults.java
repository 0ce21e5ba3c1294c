package dev.mta.mailauth.results;

import java.util.Optional;

/**
 * Recognises Authentication-Results fields that claim our authserv-id, which mail from outside must not carry: RFC
 * 8601 5 has us delete them before adding our own. The id is compared in any case, after comments and white space;
 * a version number or a broken rest does not hide the claim.
 */
public final class ForgedResults {
    private final String authservId;

    public ForgedResults(String authservId) {
        this.authservId = authservId;
    }

    /** Whether the header field {@code Name: value} (folded or not) is an Authentication-Results claiming our id. */
    public boolean isForged(String field) {
        if (field == null) {
            return false;
        }
        int colon = field.indexOf(':');
        return colon > 0 && isForged(field.substring(0, colon), field.substring(colon + 1));
    }

    /** Whether a field of this name and value is an Authentication-Results claiming our id. */
    public boolean isForged(String name, String value) {
        if (name == null || !name.strip().equalsIgnoreCase(AuthResultsBuilder.FIELD_NAME)) {
            return false;
        }
        Optional<String> id = AuthResultsParser.authservId(value);
        return id.isPresent() && id.get().equalsIgnoreCase(authservId);
    }
}
