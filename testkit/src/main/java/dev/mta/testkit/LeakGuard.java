package dev.mta.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails a test class when Netty reported a ByteBuf that was never released while it ran. */
public final class LeakGuard implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        // Leaks are reported when a collected buffer's tracker is polled, which happens on allocation.
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 200; i++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                b.release();
            }
        }
        assertTrue(LeakCollector.LEAKS.isEmpty(), () -> "ByteBuf leaks:\n" + String.join("\n", LeakCollector.LEAKS));
    }
}
