package dev.mta.protocol.command;

import io.netty.util.NetUtil;

import java.nio.charset.StandardCharsets;

/**
 * Parses an RFC 5321 4.1.2 path: {@code "<" [ A-d-l ":" ] Mailbox ">"}, the null path {@code <>} and the bare
 * {@code <Postmaster>}. Source routes are accepted and dropped (RFC 5321 appendix C). Non-ASCII characters are
 * accepted as RFC 6531 allows and flagged on the result, so the caller can insist on SMTPUTF8.
 */
public final class PathParser {
    /** RFC 5321 4.5.3.1.1. */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /** RFC 5321 4.5.3.1.2. */
    public static final int MAX_DOMAIN_OCTETS = 255;
    /** RFC 5321 4.5.3.1.3, counting the angle brackets. */
    public static final int MAX_PATH_OCTETS = 256;
    private static final int MAX_LABEL_OCTETS = 63;

    /** A parsed path and the index just past its closing '>'. */
    public static final class Result {
        private final MailPath path;
        private final int end;

        Result(MailPath path, int end) {
            this.path = path;
            this.end = end;
        }

        public MailPath path() {
            return path;
        }

        public int end() {
            return end;
        }
    }

    private final String s;
    private int pos;
    private boolean utf8;

    private PathParser(String s, int pos) {
        this.s = s;
        this.pos = pos;
    }

    /**
     * Parses the path starting at {@code start}.
     *
     * @param allowNull       whether {@code <>} is allowed (reverse-path)
     * @param allowPostmaster whether {@code <Postmaster>} without a domain is allowed (forward-path)
     */
    public static Result parse(String s, int start, boolean allowNull, boolean allowPostmaster)
            throws PathSyntaxException {
        return new PathParser(s, start).path(allowNull, allowPostmaster);
    }

    private Result path(boolean allowNull, boolean allowPostmaster) throws PathSyntaxException {
        int begin = pos;
        expect('<', "path must start with '<'");
        if (peek() == '>') {
            if (!allowNull) {
                throw new PathSyntaxException("null path not allowed here");
            }
            pos++;
            return new Result(MailPath.NULL, pos);
        }
        if (peek() == '@') {
            sourceRoute();
        }
        String local = localPart();
        String domain;
        if (peek() == '@') {
            pos++;
            domain = peek() == '[' ? addressLiteral() : domain();
        } else if (allowPostmaster && local.equalsIgnoreCase("postmaster") && peek() == '>') {
            domain = "";
        } else {
            throw new PathSyntaxException("mailbox needs '@' and a domain");
        }
        expect('>', "path must end with '>'");
        if (utf8Length(local) > MAX_LOCAL_PART_OCTETS) {
            throw new PathSyntaxException("local part longer than " + MAX_LOCAL_PART_OCTETS + " octets", true);
        }
        if (utf8Length(domain) > MAX_DOMAIN_OCTETS) {
            throw new PathSyntaxException("domain longer than " + MAX_DOMAIN_OCTETS + " octets", true);
        }
        if (utf8Length(s.substring(begin, pos)) > MAX_PATH_OCTETS) {
            throw new PathSyntaxException("path longer than " + MAX_PATH_OCTETS + " octets", true);
        }
        return new Result(new MailPath(local, domain, utf8), pos);
    }

    // A-d-l = At-domain *( "," At-domain ), followed by ":"; parsed for syntax only.
    private void sourceRoute() throws PathSyntaxException {
        do {
            expect('@', "source route needs '@domain'");
            domain();
        } while (tryConsume(','));
        expect(':', "source route must end with ':'");
    }

    private String localPart() throws PathSyntaxException {
        int begin = pos;
        if (peek() == '"') {
            quotedString();
        } else {
            dotString();
        }
        return s.substring(begin, pos);
    }

    // Dot-string = Atom *("." Atom)
    private void dotString() throws PathSyntaxException {
        atom();
        while (peek() == '.') {
            pos++;
            atom();
        }
    }

    private void atom() throws PathSyntaxException {
        int begin = pos;
        while (pos < s.length() && isAtext(s.charAt(pos))) {
            noteUtf8(s.charAt(pos));
            pos++;
        }
        if (pos == begin) {
            throw new PathSyntaxException("invalid local part");
        }
    }

    // Quoted-string = DQUOTE *QcontentSMTP DQUOTE
    private void quotedString() throws PathSyntaxException {
        pos++;
        while (true) {
            if (pos >= s.length()) {
                throw new PathSyntaxException("unterminated quoted string");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\') {
                // quoted-pairSMTP = %d92 %d32-126
                if (pos + 1 >= s.length() || s.charAt(pos + 1) < 32 || s.charAt(pos + 1) > 126) {
                    throw new PathSyntaxException("invalid quoted pair");
                }
                pos += 2;
                continue;
            }
            // qtextSMTP = %d32-33 / %d35-91 / %d93-126, plus UTF8-non-ascii (RFC 6531)
            if (c >= 0x80) {
                utf8 = true;
            } else if (c < 32 || c > 126) {
                throw new PathSyntaxException("invalid character in quoted string");
            }
            pos++;
        }
    }

    // Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]
    private String domain() throws PathSyntaxException {
        int begin = pos;
        subDomain();
        while (peek() == '.') {
            pos++;
            subDomain();
        }
        return s.substring(begin, pos);
    }

    private void subDomain() throws PathSyntaxException {
        int begin = pos;
        while (pos < s.length() && (isLetDig(s.charAt(pos)) || s.charAt(pos) == '-')) {
            noteUtf8(s.charAt(pos));
            pos++;
        }
        if (pos == begin) {
            throw new PathSyntaxException("invalid domain");
        }
        if (s.charAt(begin) == '-' || s.charAt(pos - 1) == '-') {
            throw new PathSyntaxException("domain label may not start or end with '-'");
        }
        if (utf8Length(s.substring(begin, pos)) > MAX_LABEL_OCTETS) {
            throw new PathSyntaxException("domain label longer than " + MAX_LABEL_OCTETS + " octets", true);
        }
    }

    // address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"
    private String addressLiteral() throws PathSyntaxException {
        int begin = pos;
        int close = s.indexOf(']', pos);
        if (close < 0) {
            throw new PathSyntaxException("unterminated address literal");
        }
        String inner = s.substring(pos + 1, close);
        if (!isValidAddressLiteral(inner)) {
            throw new PathSyntaxException("invalid address literal");
        }
        pos = close + 1;
        return s.substring(begin, pos);
    }

    /** Validates the text between the brackets of an address literal. */
    static boolean isValidAddressLiteral(String inner) {
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String addr = inner.substring(5);
            return addr.indexOf('%') < 0 && NetUtil.isValidIpV6Address(addr);
        }
        int colon = inner.indexOf(':');
        if (colon < 0) {
            return isIpv4(inner);
        }
        // General-address-literal = Standardized-tag ":" 1*dcontent
        String tag = inner.substring(0, colon);
        if (tag.isEmpty() || !isLetDigAscii(tag.charAt(tag.length() - 1))) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (!isLetDigAscii(c) && c != '-') {
                return false;
            }
        }
        String content = inner.substring(colon + 1);
        if (content.isEmpty()) {
            return false;
        }
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (!((c >= 33 && c <= 90) || (c >= 94 && c <= 126))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** atext of RFC 5322 3.2.3, plus UTF8-non-ascii (RFC 6531). */
    static boolean isAtext(char c) {
        if (c >= 0x80) {
            return true;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static boolean isLetDig(char c) {
        return c >= 0x80 || isLetDigAscii(c);
    }

    private static boolean isLetDigAscii(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private void noteUtf8(char c) {
        if (c >= 0x80) {
            utf8 = true;
        }
    }

    private static int utf8Length(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return s.length();
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private boolean tryConsume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c, String message) throws PathSyntaxException {
        if (!tryConsume(c)) {
            throw new PathSyntaxException(message);
        }
    }
}
