package dev.mta.protocol.codec;

import io.netty.buffer.ByteBuf;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A command line as text: ASCII as it is, anything else only as well-formed UTF-8 (malformed input is an error,
 * never replaced, so a client cannot smuggle bytes past the grammar). One per connection: the decoder is reused.
 */
public final class StrictUtf8 {
    private CharsetDecoder utf8;

    /** {@code line}'s readable bytes as text, its indexes left as they were. */
    public String decode(ByteBuf line) throws CharacterCodingException {
        if (line.forEachByte(b -> b >= 0) < 0) {
            return line.toString(StandardCharsets.US_ASCII);
        }
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        return utf8.reset().decode(line.nioBuffer()).toString();
    }
}
