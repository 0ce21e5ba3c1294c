package dev.mta.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.mta.server.config.ServerConfig;
import dev.mta.server.smtp.ConnectionBuffers;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** Warnings at start about the process around the MTA: limits the configuration cannot live within. */
final class StartupChecks {
    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);
    /** Descriptors besides connections: jars, listeners, epoll, DNS sockets, queue segments. */
    static final int BASE_DESCRIPTORS = 128;

    private StartupChecks() {
    }

    static void run(ServerConfig config) {
        long limit = openFileLimit();
        long need = descriptorsNeeded(config);
        if (limit > 0 && limit < need) {
            log.warn("the open-file limit is {} but --max-connections {} and --max-outbound-connections {} need about "
                            + "{}: past the limit connections fail; raise it (ulimit -n, systemd LimitNOFILE=) or lower "
                            + "those settings", limit, config.maxConnections(), config.relay().maxConnections(), need);
        }
        checkDirectMemory(config, PlatformDependent.maxDirectMemory());
        if (!exitsOnOutOfMemory()) {
            log.warn("the JVM runs without -XX:+ExitOnOutOfMemoryError: an OutOfMemoryError could leave a process "
                    + "that no longer answers; start it with that flag so a supervisor can restart it");
        }
    }

    static long descriptorsNeeded(ServerConfig config) {
        long outbound = config.relay().enabled() ? config.relay().maxConnections() : 0;
        return config.maxConnections() + outbound + BASE_DESCRIPTORS;
    }

    /** Socket buffers are direct memory, whose limit is the heap size unless -XX:MaxDirectMemorySize says otherwise. */
    private static void checkDirectMemory(ServerConfig config, long limit) {
        long need = directMemoryNeeded(config);
        if (limit > 0 && limit < need) {
            log.warn("--max-connections {} sessions that stop reading can hold about {} MiB of direct memory ({} KiB "
                            + "each) but the JVM allows {} MiB (-XX:MaxDirectMemorySize, by default the heap size -Xmx): "
                            + "past it sessions fail; raise it or lower --max-connections", config.maxConnections(),
                    mib(need), ConnectionBuffers.stalledSessionBytes(config.maxLineLength()) >> 10, mib(limit));
        }
    }

    /** Direct memory for buffers if every connection stalls at once (message content in flight aside). */
    static long directMemoryNeeded(ServerConfig config) {
        return config.maxConnections() * ConnectionBuffers.stalledSessionBytes(config.maxLineLength());
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** The process's limit on open files, or -1 where the JVM cannot tell. */
    static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean ? ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount() : -1;
    }

    private static boolean exitsOnOutOfMemory() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hs == null || Boolean.parseBoolean(hs.getVMOption("ExitOnOutOfMemoryError").getValue())
                    || Boolean.parseBoolean(hs.getVMOption("CrashOnOutOfMemoryError").getValue());
        } catch (RuntimeException e) {
            return true; // not HotSpot: nothing to advise
        }
    }
}
