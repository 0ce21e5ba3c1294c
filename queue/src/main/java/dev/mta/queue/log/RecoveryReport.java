package dev.mta.queue.log;

/**
 * What recovery found on disk.
 *
 * @param segments         segments read
 * @param damagedRecords   records lost to damage: a bad checksum, or unreadable bytes between good records
 * @param damagedBytes     bytes of those records and regions
 * @param tornTailBytes    bytes cut from the end of the last segment: a write the process did not finish
 * @param setAside         damaged segments copied (or, when unreadable, moved) to the corrupt/ folder
 * @param voidedBytes      bytes skipped because a later VOID record said an fsync of them failed
 * @param messagesRecovered messages back in the queue
 * @param messagesLost     messages known to be lost: their MESSAGE record, or a body chunk, was damaged
 */
public record RecoveryReport(int segments, int damagedRecords, long damagedBytes, long tornTailBytes, int setAside,
                             long voidedBytes, int messagesRecovered, int messagesLost) {
    /** The same report with the queue's count of messages. */
    public RecoveryReport withMessages(int recovered, int lost) {
        return new RecoveryReport(segments, damagedRecords, damagedBytes, tornTailBytes, setAside, voidedBytes,
                recovered, lost);
    }

    /** Whether anything acknowledged may have been lost (a torn tail was never acknowledged). */
    public boolean foundDamage() {
        return damagedRecords > 0 || setAside > 0 || messagesLost > 0;
    }
}
