package dev.mta.relay.bounce;

import dev.mta.protocol.command.MailPath;
import dev.mta.protocol.command.PathParser;
import dev.mta.protocol.command.PathSyntaxException;

/**
 * How bounces are made.
 *
 * @param doubleBounceTo where a DSN of ours that cannot be delivered is reported, once; null ({@code none}) drops it
 *                       with a log line
 * @param sizeLimit      a failed message of at most this many bytes comes back whole in its DSN
 *                       ({@code message/rfc822}); a larger one, or any with 0, comes back as its headers only
 *                       ({@code text/rfc822-headers})
 */
public record BounceSettings(MailPath doubleBounceTo, int sizeLimit) {
    /** The {@code --double-bounce-to} value that drops double bounces. */
    public static final String NONE = "none";
    /** Postfix's bounce_size_limit. */
    public static final int DEFAULT_SIZE_LIMIT = 50_000;
    /** A DSN is built in memory: a whole message of more than this is not returned. */
    public static final int MAX_SIZE_LIMIT = 100 * 1024 * 1024;

    /** Double bounces dropped, messages up to 50,000 bytes returned whole. */
    public static final BounceSettings DEFAULT = new BounceSettings(null, DEFAULT_SIZE_LIMIT);
    /** Double bounces dropped, headers only: what a bounce service that may not read the disk does. */
    public static final BounceSettings HEADERS_ONLY = new BounceSettings(null, 0);

    public BounceSettings {
        if (sizeLimit < 0 || sizeLimit > MAX_SIZE_LIMIT) {
            throw new IllegalArgumentException("bounce-size-limit must be from 0 to " + MAX_SIZE_LIMIT + ", not "
                    + sizeLimit);
        }
        if (doubleBounceTo != null && (doubleBounceTo.isNull() || doubleBounceTo.domain().isEmpty())) {
            throw new IllegalArgumentException("double-bounce-to needs an address with a domain");
        }
    }

    /**
     * The {@code --double-bounce-to} value: {@code none} (null), or an address, with or without angle brackets.
     * An error names the option.
     */
    public static MailPath parseAddress(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase(NONE)) {
            return null;
        }
        String path = t.startsWith("<") ? t : "<" + t + ">";
        try {
            PathParser.Result r = PathParser.parse(path, 0, false, false);
            if (r.end() != path.length()) {
                throw new PathSyntaxException("text after the address");
            }
            return r.path();
        } catch (PathSyntaxException e) {
            throw new IllegalArgumentException("double-bounce-to: not an address or 'none': " + text + " ("
                    + e.getMessage() + ")");
        }
    }
}
