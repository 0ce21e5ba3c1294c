package dev.mta.archplant.server.policy;

import dev.mta.queue.log.SegmentLog;

/** Breaks "sessions do not touch the queue's storage" from a policy package, through the segment log. */
public final class PlantedPolicyReadingSegments {
    public static boolean sameLog(SegmentLog a, SegmentLog b) {
        return a == b;
    }
}
