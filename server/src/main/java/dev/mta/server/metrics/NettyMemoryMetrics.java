package dev.mta.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;

/**
 * Netty's memory: the direct memory it has reserved outside the JVM's accounting, its limit, and what the default
 * buffer allocator (which every channel here uses) holds, direct and heap. Each gauge reads a counter Netty keeps.
 */
public final class NettyMemoryMetrics implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
        // -1 when Netty's direct buffers go through the JDK's Cleaner: the JVM's own buffer pool metrics count them.
        Gauge.builder("netty.direct.memory.used", PlatformDependent::usedDirectMemory).baseUnit("bytes")
                .description("Direct memory Netty has reserved itself (-1 when it leaves the count to the JVM)")
                .register(registry);
        Gauge.builder("netty.direct.memory.max", PlatformDependent::maxDirectMemory).baseUnit("bytes")
                .description("The most direct memory Netty may reserve").register(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider) {
            ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            String description = "Memory held by Netty's default buffer allocator";
            Gauge.builder("netty.allocator.memory.used", metric, ByteBufAllocatorMetric::usedDirectMemory)
                    .baseUnit("bytes").description(description).tag("type", "direct").register(registry);
            Gauge.builder("netty.allocator.memory.used", metric, ByteBufAllocatorMetric::usedHeapMemory)
                    .baseUnit("bytes").description(description).tag("type", "heap").register(registry);
        }
    }
}
