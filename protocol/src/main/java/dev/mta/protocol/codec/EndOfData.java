package dev.mta.protocol.codec;

/** The CRLF.CRLF that ends DATA, with what the framer noticed about the content it ended. */
public final class EndOfData {
    /** Content whose every line ended in CRLF. */
    public static final EndOfData CLEAN = new EndOfData(false);
    /** Content with a bare CR or a bare LF somewhere: the SMTP smuggling shape, never a line end. */
    public static final EndOfData BARE_LINE_ENDING = new EndOfData(true);

    private final boolean bareLineEnding;

    private EndOfData(boolean bareLineEnding) {
        this.bareLineEnding = bareLineEnding;
    }

    public boolean hasBareLineEnding() {
        return bareLineEnding;
    }

    @Override
    public String toString() {
        return bareLineEnding ? "EndOfData(bare line ending)" : "EndOfData";
    }
}
