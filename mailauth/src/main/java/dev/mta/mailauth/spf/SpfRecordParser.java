package dev.mta.mailauth.spf;

import dev.mta.mailauth.results.AuthResult;
import dev.mta.mailauth.spf.SpfRecord.Directive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses a whole "v=spf1" record before any of it is evaluated, as RFC 7208 4.6 asks (a syntax error anywhere is a
 * permerror, even after a mechanism that would match): the grammar of sections 4.6.1, 5, 6 and 7.1.
 */
final class SpfRecordParser {
    static final String VERSION = "v=spf1";

    private SpfRecordParser() {
    }

    /** Whether a TXT record is an SPF record at all: "v=spf1" in any case, then a space or nothing (4.5). */
    static boolean isSpfRecord(String txt) {
        return txt.regionMatches(true, 0, VERSION, 0, VERSION.length())
                && (txt.length() == VERSION.length() || txt.charAt(VERSION.length()) == ' ');
    }

    /** The record {@code text} (which {@link #isSpfRecord} accepted), or a permerror thrown as {@link SpfAbort}. */
    static SpfRecord parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c > '~') {
                throw SpfAbort.permerror("the record holds a character outside printable ASCII");
            }
        }
        List<Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString explanation = null;
        for (String term : text.substring(VERSION.length()).split(" ")) {
            if (term.isEmpty()) {
                continue; // terms are separated by one or more spaces, and trailing spaces are allowed
            }
            int nameEnd = modifierNameEnd(term);
            if (nameEnd > 0 && nameEnd < term.length() && term.charAt(nameEnd) == '=') {
                String name = term.substring(0, nameEnd).toLowerCase(Locale.ROOT);
                String value = term.substring(nameEnd + 1);
                if (name.equals("redirect")) {
                    redirect = once(redirect, domainSpec(value, term), term);
                } else if (name.equals("exp")) {
                    explanation = once(explanation, domainSpec(value, term), term);
                } else if (MacroParser.macroString(value).isEmpty()) {
                    throw SpfAbort.permerror("bad macro in modifier: " + term);
                }
            } else {
                directives.add(directive(term));
            }
        }
        return new SpfRecord(directives, Optional.ofNullable(redirect), Optional.ofNullable(explanation));
    }

    private static Directive directive(String term) {
        AuthResult result = switch (term.charAt(0)) {
            case '-' -> AuthResult.FAIL;
            case '~' -> AuthResult.SOFTFAIL;
            case '?' -> AuthResult.NEUTRAL;
            default -> AuthResult.PASS;
        };
        String body = "+-~?".indexOf(term.charAt(0)) >= 0 ? term.substring(1) : term;
        int nameEnd = 0;
        while (nameEnd < body.length() && body.charAt(nameEnd) != ':' && body.charAt(nameEnd) != '/') {
            nameEnd++;
        }
        String name = body.substring(0, nameEnd).toLowerCase(Locale.ROOT);
        String rest = body.substring(nameEnd);
        return new Directive(result, switch (name) {
            case "all" -> {
                if (!rest.isEmpty()) {
                    throw bad(term);
                }
                yield new Mechanism.All();
            }
            case "include" -> new Mechanism.Include(requiredTarget(rest, term));
            case "exists" -> new Mechanism.Exists(requiredTarget(rest, term));
            case "ptr" -> new Mechanism.Ptr(optionalTarget(rest, term));
            case "a", "mx" -> addressMechanism(name, rest, term);
            case "ip4" -> new Mechanism.Ip(network(rest, term, false));
            case "ip6" -> new Mechanism.Ip(network(rest, term, true));
            default -> throw SpfAbort.permerror("unknown mechanism: " + term);
        });
    }

    /** a and mx: [ ":" domain-spec ] [ dual-cidr-length ], the CIDR lengths read from the end (a domain may hold '/'). */
    private static Mechanism addressMechanism(String name, String rest, String term) {
        int end = rest.length();
        int ip6 = 128;
        int ip4 = 32;
        int digits = digitsStart(rest, end);
        if (digits < end && digits >= 2 && rest.charAt(digits - 1) == '/' && rest.charAt(digits - 2) == '/') {
            ip6 = cidr(rest.substring(digits, end), 128, term);
            end = digits - 2;
            digits = digitsStart(rest, end);
        }
        if (digits < end && digits >= 1 && rest.charAt(digits - 1) == '/') {
            ip4 = cidr(rest.substring(digits, end), 32, term);
            end = digits - 1;
        }
        Optional<MacroString> target = optionalTarget(rest.substring(0, end), term);
        return name.equals("a") ? new Mechanism.A(target, ip4, ip6) : new Mechanism.Mx(target, ip4, ip6);
    }

    private static MacroString requiredTarget(String rest, String term) {
        if (!rest.startsWith(":")) {
            throw bad(term);
        }
        return domainSpec(rest.substring(1), term);
    }

    private static Optional<MacroString> optionalTarget(String rest, String term) {
        return rest.isEmpty() ? Optional.empty() : Optional.of(requiredTarget(rest, term));
    }

    private static MacroString domainSpec(String text, String term) {
        return MacroParser.domainSpec(text).orElseThrow(() -> SpfAbort.permerror("bad domain-spec in " + term));
    }

    /** ip4: or ip6: network [ "/" length ]. */
    private static Network network(String rest, String term, boolean ip6) {
        if (!rest.startsWith(":")) {
            throw bad(term);
        }
        String arg = rest.substring(1);
        int slash = arg.indexOf('/');
        String address = slash < 0 ? arg : arg.substring(0, slash);
        byte[] bytes = ip6 ? IpAddresses.parseIpv6(address) : IpAddresses.parseIpv4(address);
        if (bytes == null) {
            throw SpfAbort.permerror("bad address in " + term);
        }
        int max = ip6 ? 128 : 32;
        int prefix = slash < 0 ? max : cidr(arg.substring(slash + 1), max, term);
        return new Network(bytes, prefix);
    }

    /** A CIDR length: "0" or digits without a leading zero, at most {@code max}. */
    private static int cidr(String digits, int max, String term) {
        boolean ok = !digits.isEmpty() && digits.length() <= 3 && (digits.equals("0") || digits.charAt(0) != '0');
        for (int i = 0; ok && i < digits.length(); i++) {
            ok = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        }
        if (!ok || Integer.parseInt(digits) > max) {
            throw SpfAbort.permerror("bad CIDR length in " + term);
        }
        return Integer.parseInt(digits);
    }

    private static int digitsStart(String s, int end) {
        int i = end;
        while (i > 0 && s.charAt(i - 1) >= '0' && s.charAt(i - 1) <= '9') {
            i--;
        }
        return i;
    }

    /** The end of a modifier name (ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )), or 0 if the term starts with none. */
    private static int modifierNameEnd(String term) {
        char first = term.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return 0;
        }
        int i = 1;
        while (i < term.length()) {
            char c = term.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.')) {
                break;
            }
            i++;
        }
        return i;
    }

    private static MacroString once(MacroString earlier, MacroString value, String term) {
        if (earlier != null) {
            throw SpfAbort.permerror("modifier given twice: " + term);
        }
        return value;
    }

    private static SpfAbort bad(String term) {
        return SpfAbort.permerror("bad mechanism: " + term);
    }
}
