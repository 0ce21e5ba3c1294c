package dev.mta.protocol.codec;

/**
 * A line that is not a command: a SASL response during SMTP AUTH (RFC 4954 4), handed on as its text (ASCII; any
 * other byte is kept as a replacement character and fails base64 decoding). Its length is the framer's line limit.
 */
public record ResponseLine(String text) {
    @Override
    public String toString() {
        return "ResponseLine[" + text.length() + " chars]"; // never the text: it carries a password
    }
}
