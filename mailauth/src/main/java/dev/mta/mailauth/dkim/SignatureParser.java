package dev.mta.mailauth.dkim;

import dev.mta.mailauth.dns.HostNames;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Parses a DKIM-Signature field (RFC 6376 3.5) into a {@link DkimSignature}, or a {@link MalformedSignature} saying
 * why it cannot be processed: a tag-list that does not parse, a required tag missing, v= not 1, an a= or c= we do
 * not know, bad base64, a d= or s= that is no domain name, h= without From, i= outside d=, x= before t=, or q=
 * without dns/txt. Never throws.
 */
final class SignatureParser {
    private static final List<String> REQUIRED = List.of("v", "a", "b", "bh", "d", "h", "s");
    private static final int MAX_NUMBER_DIGITS = 18; // fits a long; l=, t= and x= beyond that are absurd anyway

    private SignatureParser() {
    }

    static ParsedSignature parse(HeaderField field) {
        String raw = field.raw();
        TagList tags;
        try {
            tags = TagList.parse(raw, raw.indexOf(':') + 1);
        } catch (DkimSyntaxException e) {
            return new MalformedSignature(e.getMessage(), "", "", "", "", "");
        }
        try {
            return signature(field, tags);
        } catch (DkimSyntaxException e) {
            // Only what is safe to repeat in Authentication-Results: names that are names, base64 that is base64.
            return new MalformedSignature(e.getMessage(), nameOrEmpty(tags.get("d")), nameOrEmpty(tags.get("s")),
                    DkimAlgorithm.byTag(orEmpty(tags.get("a"))).map(DkimAlgorithm::tag).orElse(""),
                    headerB(orEmpty(tags.get("b"))), "");
        }
    }

    private static DkimSignature signature(HeaderField field, TagList tags) throws DkimSyntaxException {
        for (String name : REQUIRED) {
            if (!tags.has(name)) {
                throw new DkimSyntaxException("missing " + name + "= tag");
            }
        }
        if (!tags.get("v").equals("1")) {
            throw new DkimSyntaxException("v= is not 1");
        }
        DkimAlgorithm algorithm = DkimAlgorithm.byTag(tags.get("a"))
                .orElseThrow(() -> new DkimSyntaxException("unknown algorithm a=" + excerpt(tags.get("a"))));
        byte[] signature = base64(tags.get("b"), "b");
        byte[] bodyHash = base64(tags.get("bh"), "bh");
        Canonicalization[] c = canonicalization(tags.get("c"));
        String domain = tags.get("d");
        checkDomainName(domain, "d");
        String selector = tags.get("s");
        checkDomainName(selector, "s");
        List<String> signedHeaders = signedHeaders(tags.get("h"));
        String identity = identity(tags.get("i"), domain);
        checkQuery(tags.get("q"));
        long bodyLength = number(tags.get("l"), "l");
        long timestamp = number(tags.get("t"), "t");
        long expiration = number(tags.get("x"), "x");
        if (timestamp >= 0 && expiration >= 0 && expiration < timestamp) {
            throw new DkimSyntaxException("x= is before t=");
        }
        TagList.Tag b = tags.tag("b");
        String raw = field.raw();
        String withoutB = raw.substring(0, b.valueStart()) + raw.substring(b.valueEnd());
        return new DkimSignature(field, withoutB, algorithm, signature, bodyHash, c[0], c[1], domain, selector,
                identity, signedHeaders, bodyLength, timestamp, expiration, headerB(tags.get("b")));
    }

    private static byte[] base64(String value, String tag) throws DkimSyntaxException {
        String s = TagList.withoutFws(value);
        if (s.isEmpty() || s.length() % 4 != 0) {
            throw new DkimSyntaxException(tag + "= is not valid base64");
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new DkimSyntaxException(tag + "= is not valid base64");
        }
    }

    /** c= is header[/body], each simple or relaxed; absent is simple/simple, a missing body part simple. */
    private static Canonicalization[] canonicalization(String value) throws DkimSyntaxException {
        if (value == null) {
            return new Canonicalization[] {Canonicalization.SIMPLE, Canonicalization.SIMPLE};
        }
        int slash = value.indexOf('/');
        Optional<Canonicalization> header = Canonicalization.byKeyword(slash < 0 ? value : value.substring(0, slash));
        Optional<Canonicalization> body = slash < 0 ? Optional.of(Canonicalization.SIMPLE)
                : Canonicalization.byKeyword(value.substring(slash + 1));
        if (header.isEmpty() || body.isEmpty()) {
            throw new DkimSyntaxException("unknown canonicalization c=" + excerpt(value));
        }
        return new Canonicalization[] {header.get(), body.get()};
    }

    private static List<String> signedHeaders(String value) throws DkimSyntaxException {
        List<String> names = TagList.colonList(value);
        boolean from = false;
        for (String name : names) {
            if (name.isEmpty()) {
                throw new DkimSyntaxException("empty name in h=");
            }
            from |= name.equalsIgnoreCase("from");
        }
        if (!from) {
            throw new DkimSyntaxException("h= does not include From");
        }
        return List.copyOf(names);
    }

    /** i= must be in d= or a subdomain of it (RFC 6376 3.5); absent, it is "@" + d=. */
    private static String identity(String value, String domain) throws DkimSyntaxException {
        if (value == null) {
            return "@" + domain;
        }
        int at = value.lastIndexOf('@');
        if (at < 0) {
            throw new DkimSyntaxException("i= has no @");
        }
        String d = HeaderCanonicalizer.asciiLower(domain);
        String id = HeaderCanonicalizer.asciiLower(value.substring(at + 1));
        if (!id.equals(d) && !id.endsWith("." + d)) {
            throw new DkimSyntaxException("i= is not in the domain d=");
        }
        return value;
    }

    private static void checkQuery(String value) throws DkimSyntaxException {
        if (value != null && !TagList.colonList(value).contains("dns/txt")) {
            throw new DkimSyntaxException("q= has no dns/txt");
        }
    }

    private static long number(String value, String tag) throws DkimSyntaxException {
        if (value == null) {
            return -1;
        }
        if (value.isEmpty() || value.length() > 76) {
            throw new DkimSyntaxException(tag + "= is not a number");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new DkimSyntaxException(tag + "= is not a number");
            }
        }
        return value.length() > MAX_NUMBER_DIGITS ? Long.MAX_VALUE : Long.parseLong(value);
    }

    /** Dot-separated labels of letters, digits, "-" and "_" (selectors use "_"), as DNS can look them up. */
    static void checkDomainName(String name, String tag) throws DkimSyntaxException {
        if (!isDomainName(name)) {
            throw new DkimSyntaxException(tag + "= is not a domain name: " + excerpt(name));
        }
    }

    static boolean isDomainName(String name) {
        return HostNames.isHostName(name);
    }

    /** The first 8 characters of a b= value, FWS removed; "" unless they are base64 characters. */
    static String headerB(String b) {
        String s = TagList.withoutFws(b);
        s = s.length() <= 8 ? s : s.substring(0, 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean base64 = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/' || c == '=';
            if (!base64) {
                return "";
            }
        }
        return s;
    }

    private static String nameOrEmpty(String s) {
        return s != null && isDomainName(s) ? s : "";
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String excerpt(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "...";
    }
}
