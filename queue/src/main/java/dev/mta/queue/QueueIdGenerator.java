package dev.mta.queue;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes queue ids: the time in milliseconds and a counter, in upper-case hex, so ids sort by arrival. */
public final class QueueIdGenerator {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final AtomicInteger counter = new AtomicInteger(new SecureRandom().nextInt());

    /** A new id of 16 hex digits: 11 of milliseconds, 5 of counter. */
    public String next() {
        long millis = System.currentTimeMillis();
        int seq = counter.getAndIncrement() & 0xFFFFF;
        char[] id = new char[16];
        for (int i = 10; i >= 0; i--) {
            id[i] = HEX[(int) (millis & 0xF)];
            millis >>>= 4;
        }
        for (int i = 15; i >= 11; i--) {
            id[i] = HEX[seq & 0xF];
            seq >>>= 4;
        }
        return new String(id);
    }
}
