package dev.mta.server.dkim;

import dev.mta.mailauth.dkim.DkimSigningKey;
import dev.mta.mailauth.dkim.KeyRecordMatch;

/**
 * Whether what DNS answers for a selector publishes its key, in the words {@code mta dkim check} prints after the
 * record's name: {@code matches (...)}, {@code differs: <how> (...)} or {@code lookup failed: <why>}. A pure
 * function of the key and the answer; the record itself is read by mailauth ({@link KeyRecordMatch}), as the
 * verifier reads it.
 */
final class PublishedKeyCheck {
    /** One selector's verdict: whether it matches, and the text after the name. */
    record Verdict(boolean matches, String text) {
    }

    private PublishedKeyCheck() {
    }

    static Verdict judge(DkimSigningKey key, TxtAnswer answer) {
        return switch (answer.kind()) {
            case FAILED -> new Verdict(false, "lookup failed: " + answer.failure());
            case NXDOMAIN -> differs("record missing (no such name)");
            case NODATA -> differs("record missing (the name has no TXT record)");
            case FOUND -> answer.records().size() > 1 ? several(key, answer) : one(key, answer.records().get(0));
        };
    }

    /** A key file that could not be read: nothing to compare. */
    static Verdict unreadable(String why) {
        return new Verdict(false, "key file unreadable: " + why);
    }

    private static Verdict one(DkimSigningKey key, String record) {
        KeyRecordMatch m = KeyRecordMatch.of(key, record);
        return switch (m.kind()) {
            case MATCHES -> new Verdict(true,
                    "matches (" + describe(key) + (m.detail().isEmpty() ? "" : "; " + m.detail()) + ")");
            case KEY_DIFFERS -> differs("key differs (" + m.detail() + ")");
            case TYPE_DIFFERS -> differs("k= differs (" + m.detail() + ")");
            case REVOKED -> differs("revoked (" + m.detail() + ")");
            case RESTRICTED -> differs("restricted (" + m.detail() + ")");
            case MALFORMED -> differs("malformed record (" + m.detail() + ")");
        };
    }

    /** RFC 6376 3.6.2.2 leaves the choice among several records to each verifier: never a match, whatever they hold. */
    private static Verdict several(DkimSigningKey key, TxtAnswer answer) {
        long ours = answer.records().stream().filter(r -> KeyRecordMatch.of(key, r).matches()).count();
        return differs("several records (" + answer.records().size() + " TXT records, "
                + (ours == 0 ? "none of them" : ours == 1 ? "one of them" : ours + " of them") + " this key; "
                + "verifiers may take any one)");
    }

    private static Verdict differs(String how) {
        return new Verdict(false, "differs: " + how);
    }

    /** rsa, 2048 bits; or ed25519. */
    static String describe(DkimSigningKey key) {
        String type = key.algorithm().keyType();
        return type.equals("rsa") ? type + ", " + key.bits() + " bits" : type;
    }
}
