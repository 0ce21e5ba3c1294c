package dev.mta.queue.log;

/** The kinds of record in a segment. */
public final class RecordType {
    /** Part of a large message's body, written while it still streams in. */
    public static final byte CHUNK = 1;
    /** An acknowledged message: envelope, recipient states, chunk references and the rest of the body. */
    public static final byte MESSAGE = 2;
    /** New states for some recipients of a message. */
    public static final byte STATE = 3;
    /** A message removed by an operator. */
    public static final byte REMOVE = 4;
    /**
     * Written first in a new segment after an fsync failed: everything of an earlier segment from an offset on is
     * void, because the kernel may have dropped it. Recovery reads nothing there. Payload: segment, offset.
     */
    public static final byte VOID = 5;
    /** The operator holds a message: none of it is delivered until a RELEASE (new in payload format 3). */
    public static final byte HOLD = 6;
    /** The operator releases a held message (new in payload format 3). */
    public static final byte RELEASE = 7;

    private RecordType() {
    }
}
