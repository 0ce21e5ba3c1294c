package dev.mta.protocol.codec;

/**
 * What a bare LF (an LF not preceded by CR) in DATA content means for one message. In either mode a bare CR is the
 * smuggling shape and refuses the message, commands stay strict, and only CRLF "." CRLF ends DATA.
 */
public enum BareNewline {
    /** A bare LF refuses the message (flagged at its end as {@link EndOfData#BARE_LINE_ENDING}). */
    REJECT,
    /**
     * A bare LF is taken for CRLF, as Postfix's {@code smtpd_forbid_bare_newline = normalize}: the content goes on
     * with CRLF in its place, and the line after it is dot-unstuffed like any other, but it never begins the end of
     * data: a "." line reached through a bare LF, or ended by one, is content.
     */
    NORMALIZE
}
