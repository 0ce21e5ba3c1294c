package dev.mta.mailauth.dkim;

import java.util.Base64;
import java.util.List;

/**
 * A DKIM key record (RFC 6376 3.6.1): v= (DKIM1 if present), k= (rsa when absent), p= (empty: revoked), and the
 * restrictions h= (hashes allowed), s= (service types) and t= flags (y: testing; s: i= must be in d= itself).
 *
 * @param key     null when revoked
 * @param hashes  h=, or null for any
 */
record KeyRecord(String keyType, DkimPublicKey key, List<String> hashes, List<String> services, boolean testing,
                 boolean strict) {

    /** Parses one TXT record's text (its strings joined). */
    static KeyRecord parse(String text) throws DkimSyntaxException {
        TagList tags = TagList.parse(text);
        String v = tags.get("v");
        if (v != null && !v.equals("DKIM1")) {
            throw new DkimSyntaxException("key record v= is not DKIM1");
        }
        String keyType = tags.has("k") ? tags.get("k") : "rsa";
        if (!keyType.equals("rsa") && !keyType.equals("ed25519")) {
            throw new DkimSyntaxException("unknown key type k=" + keyType);
        }
        String p = tags.get("p");
        if (p == null) {
            throw new DkimSyntaxException("key record has no p=");
        }
        p = TagList.withoutFws(p);
        DkimPublicKey key = null;
        if (!p.isEmpty()) {
            byte[] der;
            try {
                der = Base64.getDecoder().decode(p);
            } catch (IllegalArgumentException e) {
                throw new DkimSyntaxException("key record p= is not base64");
            }
            key = DkimPublicKey.decode(keyType, der);
        }
        List<String> hashes = tags.has("h") ? TagList.colonList(tags.get("h")) : null;
        List<String> services = tags.has("s") ? TagList.colonList(tags.get("s")) : List.of("*");
        List<String> flags = tags.has("t") ? TagList.colonList(tags.get("t")) : List.of();
        return new KeyRecord(keyType, key, hashes, services, flags.contains("y"), flags.contains("s"));
    }

    boolean revoked() {
        return key == null;
    }

    /** Whether the record may be used for email (s= has "*" or "email"). */
    boolean forEmail() {
        return services.contains("*") || services.contains("email");
    }

    /** Whether h= allows the algorithm's hash. */
    boolean allows(DkimAlgorithm algorithm) {
        return hashes == null || hashes.contains(algorithm.hashTag());
    }
}
