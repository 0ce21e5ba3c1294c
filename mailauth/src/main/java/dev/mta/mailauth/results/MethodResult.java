package dev.mta.mailauth.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One method's entry in an Authentication-Results header (RFC 8601 2.2 resinfo):
 * {@code method=result [(comment)] [reason=...] ptype.property=value...}.
 *
 * @param comment a comment after the result, "" for none
 * @param reason  the reason, "" for none
 */
public record MethodResult(String method, AuthResult result, String comment, String reason,
                           List<ResultProperty> properties) {

    public MethodResult {
        Objects.requireNonNull(result, "result");
        comment = comment == null ? "" : comment;
        reason = reason == null ? "" : reason;
        properties = List.copyOf(properties);
        if (!ResultValues.isKeyword(method)) {
            throw new IllegalArgumentException("not a method name: " + method);
        }
    }

    public static MethodResult of(String method, AuthResult result) {
        return new MethodResult(method, result, "", "", List.of());
    }

    /** {@code spf=<result> smtp.mailfrom=<mailFrom>}: SPF's MAIL FROM check (the address, or its domain). */
    public static MethodResult spf(AuthResult result, String mailFrom) {
        return of("spf", result).with("smtp", "mailfrom", mailFrom);
    }

    /** {@code spf=<result> smtp.helo=<helo>}: SPF's HELO check. */
    public static MethodResult spfHelo(AuthResult result, String helo) {
        return of("spf", result).with("smtp", "helo", helo);
    }

    /**
     * {@code dkim=<result> header.d=<d> header.s=<s> header.b=<b>}: one signature, {@code b} cut to its first 8
     * characters (RFC 6008 says that many identify a signature). Empty {@code s} or {@code b} are left out.
     */
    public static MethodResult dkim(AuthResult result, String d, String s, String b) {
        MethodResult entry = of("dkim", result).with("header", "d", d);
        if (s != null && !s.isEmpty()) {
            entry = entry.with("header", "s", s);
        }
        if (b != null && !b.isEmpty()) {
            entry = entry.with("header", "b", b.length() > 8 ? b.substring(0, 8) : b);
        }
        return entry;
    }

    /** {@code dmarc=<result> header.from=<domain>}; "" for no domain leaves header.from out. */
    public static MethodResult dmarc(AuthResult result, String fromDomain) {
        MethodResult entry = of("dmarc", result);
        return fromDomain == null || fromDomain.isEmpty() ? entry : entry.with("header", "from", fromDomain);
    }

    /** This entry with one more property. */
    public MethodResult with(String type, String property, String value) {
        List<ResultProperty> more = new ArrayList<>(properties);
        more.add(new ResultProperty(type, property, value));
        return new MethodResult(method, result, comment, reason, more);
    }

    public MethodResult withComment(String text) {
        return new MethodResult(method, result, text, reason, properties);
    }

    public MethodResult withReason(String text) {
        return new MethodResult(method, result, comment, text, properties);
    }
}
