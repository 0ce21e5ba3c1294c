package dev.mta.mailauth.dkim;

/**
 * Whether a published key record (RFC 6376 3.6.1) holds a signing key's public half, so that verifiers can check
 * what it signs, and if not, why: what an operator's check of the DNS reports. Read by the same parser the verifier
 * uses ({@link KeyRecord}), so a record judged to match is one our verifier would use.
 *
 * @param detail why, in a few words for the operator; empty when there is nothing to add
 */
public record KeyRecordMatch(Kind kind, String detail) {
    /** The possible answers, the first that applies. */
    public enum Kind {
        /** The record holds this key and lets it sign mail. */
        MATCHES,
        /** The record is not a key record verifiers can read (tag-list syntax, v=, p= not a key of its k=). */
        MALFORMED,
        /** k= (rsa when absent) is not the key's type. */
        TYPE_DIFFERS,
        /** p= is empty: the key is revoked. */
        REVOKED,
        /** p= holds another key. */
        KEY_DIFFERS,
        /** The key is there, but h= or s= keeps its signatures from verifying. */
        RESTRICTED
    }

    /** Judges the text of one TXT record (its strings joined) against {@code key}. */
    public static KeyRecordMatch of(DkimSigningKey key, String recordText) {
        String ours = key.algorithm().keyType();
        KeyRecord record;
        try {
            record = KeyRecord.parse(recordText);
        } catch (DkimSyntaxException e) {
            // The parser decodes p= by k=, so an Ed25519 p= under a missing k= fails there: tell the k= first.
            String declared = declaredKeyType(recordText);
            return declared != null && !declared.equals(ours) ? typeDiffers(recordText, declared, ours)
                    : new KeyRecordMatch(Kind.MALFORMED, e.getMessage());
        }
        if (!record.keyType().equals(ours)) {
            return typeDiffers(recordText, record.keyType(), ours);
        }
        if (record.revoked()) {
            return new KeyRecordMatch(Kind.REVOKED, "p= is empty");
        }
        if (!record.key().sameKey(publicKey(key))) {
            return new KeyRecordMatch(Kind.KEY_DIFFERS, "p= is another " + ours
                    + (ours.equals("rsa") ? " key of " + record.key().bits() + " bits" : " key"));
        }
        if (!record.allows(key.algorithm())) {
            return new KeyRecordMatch(Kind.RESTRICTED, "h= does not allow " + key.algorithm().hashTag());
        }
        if (!record.forEmail()) {
            return new KeyRecordMatch(Kind.RESTRICTED, "s= does not include email");
        }
        return new KeyRecordMatch(Kind.MATCHES, record.testing() ? "t=y: verifiers treat it as a test" : "");
    }

    public boolean matches() {
        return kind == Kind.MATCHES;
    }

    private static KeyRecordMatch typeDiffers(String recordText, String declared, String ours) {
        boolean explicit = declaredExplicitly(recordText);
        return new KeyRecordMatch(Kind.TYPE_DIFFERS, (explicit ? "k=" + declared : "no k= (so rsa)")
                + " in the record, the key is " + ours);
    }

    /** k= as the record declares it (rsa when absent), or null when the record is broken before that matters. */
    private static String declaredKeyType(String text) {
        try {
            TagList tags = TagList.parse(text);
            String v = tags.get("v");
            if (v != null && !v.equals("DKIM1")) {
                return null;
            }
            return tags.has("k") ? tags.get("k") : "rsa";
        } catch (DkimSyntaxException e) {
            return null;
        }
    }

    private static boolean declaredExplicitly(String text) {
        try {
            return TagList.parse(text).has("k");
        } catch (DkimSyntaxException e) {
            return false;
        }
    }

    /** The key's public half as a record would carry it: parsed from its own record, the same path as any other. */
    private static DkimPublicKey publicKey(DkimSigningKey key) {
        try {
            return KeyRecord.parse(key.dnsRecord()).key();
        } catch (DkimSyntaxException e) {
            throw new IllegalStateException("our own key record does not parse: " + e.getMessage(), e);
        }
    }
}
