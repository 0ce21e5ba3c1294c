package dev.mta.server.support;

import java.util.function.BooleanSupplier;

/** Waits in tests for something that happens on other threads or in other processes, within a bound. */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} every 20 ms for up to 15 s; fails naming {@code what} when it never holds. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
