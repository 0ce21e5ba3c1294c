package dev.mta.protocol.codec;

/** A command line the framer could not hand on as a line. */
public enum FramingError {
    /** Longer than the configured limit (RFC 5321 4.5.3.1.4); the line was skipped up to its end. */
    LINE_TOO_LONG,
    /** Ended by LF without CR; the line was skipped. */
    BARE_LF
}
