package dev.mta.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Keeps the names of Micrometer's own binders within Prometheus's conventions, so that {@code promtool check metrics}
 * passes: {@code process.cpu.time} (nanoseconds: an abbreviated unit) gives way to {@code process_cpu_seconds_total}
 * (the name every Prometheus client uses), and {@code system.cpu.count} (a gauge ending in {@code _count}, which
 * Prometheus keeps for histograms) is served as {@code system_cpus_available}.
 */
final class PromtoolNames {
    private PromtoolNames() {
    }

    /** Installs the filters before any meter is registered, and the CPU time counter in seconds. */
    static void apply(MeterRegistry registry) {
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus.available") : id;
            }
        });
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
            FunctionCounter.builder("process.cpu", sun, b -> Math.max(0, b.getProcessCpuTime()) / 1e9)
                    .baseUnit("seconds").description("CPU time the MTA's process has used").register(registry);
        }
    }
}
