package dev.mta.relay.loop;

/** The next hop is this MTA itself: delivering there would loop (5.4.6). */
public final class LoopDetectedException extends Exception {
    public LoopDetectedException(String message) {
        super(message, null, false, false);
    }
}
