package dev.mta.queue;

import dev.mta.queue.log.FaultHook;
import dev.mta.queue.model.RouteResolver;
import dev.mta.queue.schedule.RetrySchedule;

import java.nio.file.Path;

/**
 * How the durable queue is set up.
 *
 * @param directory      where its segment files live
 * @param segmentSize    bytes per segment file before a new one starts
 * @param inlineLimit    body bytes buffered before they are written ahead as chunks
 * @param retry          back-off and maximum lifetime for deferred recipients
 * @param maxIndexBytes  heap the in-memory index may take before new mail is refused (estimated)
 * @param maxBufferedContent content of messages still arriving that may wait in memory, all sessions together;
 *                       past it each message writes its content ahead sooner
 * @param faults         disk faults to inject (tests); {@link FaultHook#NONE} otherwise
 * @param routes         the route of each recipient (by its domain unless the relay's transport map says otherwise)
 */
public record QueueConfig(Path directory, long segmentSize, int inlineLimit, RetrySchedule retry, long maxIndexBytes,
                          long maxBufferedContent, FaultHook faults, RouteResolver routes) {
    /** Half the heap for the index, a tenth for content on its way in, no faults, routes by domain. */
    public QueueConfig(Path directory, long segmentSize, int inlineLimit, RetrySchedule retry) {
        this(directory, segmentSize, inlineLimit, retry, heapShare(50), heapShare(10), FaultHook.NONE,
                RouteResolver.BY_DOMAIN);
    }

    /** {@code percent} of the JVM's maximum heap. */
    public static long heapShare(int percent) {
        return Runtime.getRuntime().maxMemory() / 100 * percent;
    }

    /** This configuration with disk faults injected. */
    public QueueConfig withFaults(FaultHook f) {
        return new QueueConfig(directory, segmentSize, inlineLimit, retry, maxIndexBytes, maxBufferedContent, f, routes);
    }

    /** This configuration with another bound on the index. */
    public QueueConfig withMaxIndexBytes(long bytes) {
        return new QueueConfig(directory, segmentSize, inlineLimit, retry, bytes, maxBufferedContent, faults, routes);
    }

    /** This configuration with another bound on content waiting in memory. */
    public QueueConfig withMaxBufferedContent(long bytes) {
        return new QueueConfig(directory, segmentSize, inlineLimit, retry, maxIndexBytes, bytes, faults, routes);
    }

    /** This configuration with recipients routed by {@code r}. */
    public QueueConfig withRoutes(RouteResolver r) {
        return new QueueConfig(directory, segmentSize, inlineLimit, retry, maxIndexBytes, maxBufferedContent, faults, r);
    }

    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    public static final int DEFAULT_INLINE_LIMIT = 128 << 10;

    public static QueueConfig defaults(Path directory) {
        return new QueueConfig(directory, DEFAULT_SEGMENT_SIZE, DEFAULT_INLINE_LIMIT, RetrySchedule.DEFAULT);
    }
}
