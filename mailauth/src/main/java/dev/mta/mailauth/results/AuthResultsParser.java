package dev.mta.mailauth.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads Authentication-Results field values (RFC 8601 2.2), folded or not, comments and white space wherever CFWS may
 * stand. Never throws: what does not parse is empty.
 */
public final class AuthResultsParser {
    private AuthResultsParser() {
    }

    /** The whole value, or empty if it does not follow the grammar. */
    public static Optional<ParsedAuthResults> parse(String fieldValue) {
        if (fieldValue == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(payload(new HeaderCursor(fieldValue)));
        } catch (RuntimeException e) { // Malformed, or a bug: still never thrown to the caller
            return Optional.empty();
        }
    }

    /**
     * Only the authserv-id the value starts with (a token, or a quoted-string's content), whatever follows it: enough
     * to recognise a header that claims to be ours even when the rest is broken. Empty if there is none.
     */
    public static Optional<String> authservId(String fieldValue) {
        if (fieldValue == null) {
            return Optional.empty();
        }
        try {
            HeaderCursor c = new HeaderCursor(fieldValue);
            c.skipCfws();
            String id = c.value();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (RuntimeException e) { // Malformed, or a bug: still never thrown to the caller
            return Optional.empty();
        }
    }

    private static ParsedAuthResults payload(HeaderCursor c) {
        c.skipCfws();
        String id = c.value();
        if (id.isEmpty()) {
            throw new HeaderCursor.Malformed();
        }
        c.skipCfws();
        String version = c.peekDigit() ? c.digits() : "";
        c.skipCfws();
        List<ParsedAuthResults.Entry> results = new ArrayList<>();
        c.expect(';');
        c.skipCfws();
        if (c.takeWord("none")) {
            c.skipCfws();
        } else {
            results.add(resinfo(c));
            while (c.take(';')) {
                c.skipCfws();
                results.add(resinfo(c));
            }
        }
        if (!c.atEnd()) {
            throw new HeaderCursor.Malformed();
        }
        return new ParsedAuthResults(id, version, results);
    }

    /** methodspec [reasonspec] *propspec, after the ";". */
    private static ParsedAuthResults.Entry resinfo(HeaderCursor c) {
        String method = lower(required(c.keyword()));
        c.skipCfws();
        String methodVersion = "";
        if (c.take('/')) {
            c.skipCfws();
            methodVersion = required(c.digits());
            c.skipCfws();
        }
        c.expect('=');
        c.skipCfws();
        String result = lower(required(c.keyword()));
        c.skipCfws();
        String reason = "";
        if (c.takeWord("reason")) {
            c.skipCfws();
            c.expect('=');
            c.skipCfws();
            reason = c.value();
            c.skipCfws();
        }
        List<ResultProperty> properties = new ArrayList<>();
        while (!c.atEnd() && !c.peek(';')) {
            properties.add(propspec(c));
        }
        return new ParsedAuthResults.Entry(method, methodVersion, result, reason, properties);
    }

    /** ptype "." property "=" pvalue. */
    private static ResultProperty propspec(HeaderCursor c) {
        String type = lower(required(c.keyword()));
        c.skipCfws();
        c.expect('.');
        c.skipCfws();
        String property = lower(required(c.keyword()));
        c.skipCfws();
        c.expect('=');
        c.skipCfws();
        String value = c.pvalue();
        c.skipCfws();
        return new ResultProperty(type, property, value);
    }

    private static String required(String word) {
        if (word.isEmpty()) {
            throw new HeaderCursor.Malformed();
        }
        return word;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
