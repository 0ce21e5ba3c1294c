package dev.mta.server.http;

import dev.mta.queue.DurableQueue;
import dev.mta.queue.WriteHealth;

import java.util.function.BooleanSupplier;

/**
 * The MTA is ready while it listens, is not shutting down, and its queue can take mail: the queue can still write
 * safely, the spool probe succeeds, the queue's last write did not fail (or the probe has succeeded since), and its
 * index has room. Every check reads a flag or a snapshot kept elsewhere: it never waits on the disk.
 */
public final class MtaReadiness implements Readiness {
    private final BooleanSupplier stopping;
    private final BooleanSupplier listening;
    private final DurableQueue queue;
    private final SpoolProbe probe;

    public MtaReadiness(BooleanSupplier stopping, BooleanSupplier listening, DurableQueue queue, SpoolProbe probe) {
        this.stopping = stopping;
        this.listening = listening;
        this.queue = queue;
        this.probe = probe;
    }

    @Override
    public Status check() {
        if (stopping.getAsBoolean()) {
            return Status.notReady("shutting down");
        }
        if (!listening.getAsBoolean()) {
            return Status.notReady("not listening");
        }
        if (!queue.isWritable()) {
            return Status.notReady("the queue cannot write safely any more; restart the MTA");
        }
        SpoolProbe.State p = probe.state();
        if (p.problem() == SpoolProbe.Problem.DISK_FULL) {
            return Status.notReady("disk full: " + p.detail());
        }
        if (p.problem() == SpoolProbe.Problem.UNWRITABLE) {
            return Status.notReady("spool unwritable: " + p.detail());
        }
        WriteHealth.State w = queue.writeState();
        // A failed batch stands until a later one succeeds, or the probe has written since (space came back).
        if (w.problem() != WriteHealth.Problem.NONE && p.lastOkNanos() - w.sinceNanos() <= 0) {
            return Status.notReady(w.problem() == WriteHealth.Problem.DISK_FULL ? "disk full: the queue's last write "
                    + "found no space" : "the queue's last write failed");
        }
        if (!queue.hasRoom()) {
            return Status.notReady("queue full: its index has reached --queue-heap-percent of the heap");
        }
        return Status.READY;
    }
}
