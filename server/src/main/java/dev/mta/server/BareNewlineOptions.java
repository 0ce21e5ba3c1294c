package dev.mta.server;

import dev.mta.protocol.codec.BareNewline;
import dev.mta.server.config.Defaults;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code --bare-newline}, a picocli mixin of {@link MtaMain}: what a bare LF in the content of a client that has
 * authenticated with SMTP AUTH means. Its error names the key.
 */
final class BareNewlineOptions {
    @Option(names = "--bare-newline", paramLabel = "MODE", defaultValue = Defaults.BARE_NEWLINE,
            description = "A bare LF in message content from a client that has authenticated (SMTP AUTH): reject, or "
                    + "normalize to CRLF; others are always refused, and only CRLF.CRLF ends DATA (default: ${DEFAULT-VALUE})")
    String bareNewline;

    /** The mode these options name; IllegalArgumentException naming the key when it is neither. */
    BareNewline mode() {
        return parse(bareNewline);
    }

    /** "reject" or "normalize", in any case. */
    static BareNewline parse(String text) {
        switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "reject":
                return BareNewline.REJECT;
            case "normalize":
                return BareNewline.NORMALIZE;
            default:
                throw new IllegalArgumentException("bare-newline must be reject or normalize, not " + text);
        }
    }
}
