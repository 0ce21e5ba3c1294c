package dev.mta.mailauth.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The octets a DKIM signature covers (RFC 6376 3.7, 5.4.2): the fields h= names, each name taking the last of its
 * instances not yet taken (from the bottom up), a name with none left contributing nothing (that is how
 * oversigning forbids additions); then the signature's own field with its b= value empty and no final CRLF.
 * Linear in the fields and names, however many h= lists.
 */
final class SigningInput {
    private SigningInput() {
    }

    /**
     * @param headers        the message's fields, top to bottom (the signature's own field left out)
     * @param signedNames    h=, in order
     * @param withoutB       the signature's own field, raw, with an empty b= value
     */
    static byte[] of(List<HeaderField> headers, List<String> signedNames, Canonicalization c, String withoutB) {
        Map<String, Deque<HeaderField>> byName = new HashMap<>();
        for (HeaderField f : headers) {
            byName.computeIfAbsent(f.lowerName(), k -> new ArrayDeque<>()).push(f); // the last ends up on top
        }
        StringBuilder out = new StringBuilder(1024);
        for (String name : signedNames) {
            Deque<HeaderField> instances = byName.get(HeaderCanonicalizer.asciiLower(name));
            if (instances != null && !instances.isEmpty()) {
                HeaderCanonicalizer.append(out, instances.pop().raw(), c);
            }
        }
        HeaderCanonicalizer.appendWithoutCrlf(out, withoutB, c);
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
